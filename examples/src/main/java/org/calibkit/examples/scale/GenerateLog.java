package org.calibkit.examples.scale;

import java.sql.*;
/** Writes log.parquet (1,000,000 rows) and val.parquet (20,000 rows) of a seeded 10-class model through DuckDB: run with the DuckDB JDBC jar on the class path. */
public class GenerateLog {
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // logits 1.6 x (2.2 on a signal class + standard normal noise); the signal is a wrong class for 12% of rows
            for (String[] split : new String[][] {{"log.parquet", "1000000", "1"}, {"val.parquet", "20000", "2"}}) {
                s.execute("SELECT setseed(0." + split[2] + ")");
                s.execute("COPY (SELECT 'p' || i AS id, label, list_transform(range(10), lambda j: 1.6 * ((CASE WHEN j = signal THEN 2.2 ELSE 0 END) + sqrt(-2 * ln(random())) * cos(2 * pi() * random()))) AS logits FROM (SELECT i, label, CASE WHEN random() < 0.12 THEN (label + 1 + floor(random() * 9))::INTEGER % 10 ELSE label END AS signal FROM (SELECT i, floor(random() * 10)::INTEGER AS label FROM range(" + split[1] + ") t(i)))) TO '" + split[0] + "' (FORMAT parquet)");
            }
        }
    }
}
