package org.calibkit.calibration.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.XYChart;

/** XChart charts placed on one canvas, plus an optional heading drawn above them (the multi-panel layouts). */
final class ChartCanvas {
    final int width;
    final int height;
    final String heading;
    final int headingSize;
    final List<Panel> panels = new ArrayList<>();

ChartCanvas(int width, int height, String heading, int headingSize) {
        this.width = width;
        this.height = height;
        this.heading = heading;
        this.headingSize = headingSize;
    }

    boolean single() {
        return heading == null && panels.size() == 1;
    }

    void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        if (heading != null && !heading.isBlank()) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, headingSize));
            FontMetrics fm = g.getFontMetrics();
            int tw = fm.stringWidth(heading);
            g.drawString(heading, Math.max(4, (width - tw) / 2), fm.getAscent() + headingSize / 3);
        }
        for (Panel p : panels) {
            Graphics2D sub = (Graphics2D) g.create();
            try {
                sub.translate(p.x, p.y);
                sub.clipRect(0, 0, p.w, p.h);
                p.chart.paint(sub, p.w, p.h);
            } finally {
                sub.dispose();
            }
        }
    }

    /** One chart as the whole canvas. */
    static ChartCanvas of(XYChart chart, int width, int height) {
        ChartCanvas c = new ChartCanvas(width, height, null, 0);
        c.panels.add(new Panel(chart, 0, 0, width, height));
        return c;
    }

    /** A chart and where it sits on the canvas. */
    record Panel(XYChart chart, int x, int y, int w, int h) {
}
}
