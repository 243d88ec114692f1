package org.calibkit.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report as a person sees it: opened in headless Chromium (the Debian packages
 * {@code chromium} and {@code chromium-driver}, driven by Selenium with both paths given, so
 * Selenium Manager never downloads anything). Every image must have loaded, the console must be
 * free of errors and the summary visible without scrolling; a full-page screenshot is saved to
 * {@code report/target/report-screenshot.png} for a person to look at, and one of the doctor's
 * section alone to {@code report/target/report-doctor-screenshot.png}.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    @Test
    void reportOpensInABrowserWithEveryImageAndNoConsoleError() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is absent (Debian package chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "skipped: " + CHROMEDRIVER + " is absent (Debian package chromium-driver)");

        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path page = target.resolve("report-fixture.html");
        // with the doctor's section, so the screenshot shows it too
        AuditResult result = AuditFixture.small().withDoctor(
                org.calibkit.report.doctor.DoctorSection.of(AuditFixture.doctorResult(false)));
        HtmlReport.write(result, page);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.get(page.toUri().toString());
            JavascriptExecutor js = driver;

            assertEquals("complete", js.executeScript("return document.readyState"));
            long images = (Long) js.executeScript("return document.images.length");
            assertTrue(images >= 3, "expected the diagrams and thumbnails, got " + images + " images");
            @SuppressWarnings("unchecked")
            List<Object> broken = (List<Object>) js.executeScript(
                    "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                            + ".map(i => i.alt)");
            assertTrue(broken.isEmpty(), "images that did not load: " + broken);

            WebElement summary = driver.findElement(By.id("summary"));
            assertTrue(summary.isDisplayed(), "the summary is not displayed");
            assertTrue(summary.getRect().getY() < HEIGHT, "the summary starts below the first screen");
            WebElement firstVerdict = driver.findElement(By.cssSelector("table.verdicts tbody tr"));
            assertTrue(firstVerdict.isDisplayed());
            assertEquals(result.verdicts().size(),
                    driver.findElements(By.cssSelector("table.verdicts tbody tr")).size());

            WebElement doctor = driver.findElement(By.id("doctor"));
            assertTrue(doctor.isDisplayed(), "the doctor's section is not displayed");
            assertEquals(result.doctor().ranking().size(), driver.findElements(By.cssSelector("table.doctor tbody tr")).size());
            Path doctorShot = target.resolve("report-doctor-screenshot.png");
            @SuppressWarnings("unchecked")
            Map<String, Object> box = (Map<String, Object>) js.executeScript("const r = document.getElementById('doctor')"
                    + ".getBoundingClientRect(); return {x: r.left + window.scrollX, y: r.top + window.scrollY, "
                    + "width: r.width, height: r.height};");
            Files.write(doctorShot, clip(driver, ((Number) box.get("x")).doubleValue(), ((Number) box.get("y")).doubleValue(),
                    ((Number) box.get("width")).doubleValue(), ((Number) box.get("height")).doubleValue()));

            List<String> errors = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                    errors.add(e.getLevel() + " " + e.getMessage());
                }
            }
            assertTrue(errors.isEmpty(), "console: " + errors);

            Path shot = target.resolve("report-screenshot.png");
            Files.write(shot, fullPage(driver));
            assertTrue(Files.size(shot) > 10_000, "screenshot suspiciously small");
        } finally {
            driver.quit();
        }
    }

    /** A screenshot of the whole page through the DevTools protocol (Chromium draws beyond the viewport). */
    private static byte[] fullPage(ChromeDriver driver) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        return clip(driver, 0, 0, ((Number) size.get("width")).doubleValue(), ((Number) size.get("height")).doubleValue());
    }

    /** A screenshot of one rectangle of the page, in CSS pixels from its top left corner. */
    private static byte[] clip(ChromeDriver driver, double x, double y, double width, double height) {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", x, "y", y, "width", width, "height", height, "scale", 1)));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }
}
