package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The report's bar charts, drawn once through {@link Canvas} and rendered both as inline SVG and as PNG images
 * (Java2D), so the two can never show different things.
 */
final class Plots {

    /** Where a chart draws: SVG text or a Java2D image. */
    interface Canvas {
        void rect(double x, double y, double width, double height, String color);

        void line(double x1, double y1, double x2, double y2, String color);

        /** Text with its anchor at (x, y): {@code align} is -1 (start), 0 (middle) or 1 (end). */
        void text(double x, double y, String text, int align, int size, String color);
    }

    /**
     * A chart: a size and the drawing.
     *
     * @param title the chart's title, drawn at the top and used as the SVG's title
     */
    record Chart(String title, int width, int height, java.util.function.Consumer<Canvas> drawing) {

        Chart {
            requireNonNull(title, "title");
            requireNonNull(drawing, "drawing");
        }

        /** The chart as an inline SVG element. */
        String svg() {
            var svg = new SvgCanvas();
            drawing.accept(svg);
            return "<svg width=\"" + width + "\" height=\"" + height
                    + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\"><title>" + Reports.escape(title)
                    + "</title>" + svg.body + "</svg>";
        }

        /** The chart as an image. */
        BufferedImage image() {
            var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                drawing.accept(new ImageCanvas(g));
            } finally {
                g.dispose();
            }
            return image;
        }
    }

    static final String AXIS = "#444444";
    static final String GOOD = "#2e7d32";
    static final String BAD = "#c62828";
    static final String[] SERIES = {"#1565c0", "#9e9e9e", "#ef6c00", "#6a1b9a"};

    private static final int MARGIN_LEFT = 60;
    private static final int MARGIN = 30;

    private Plots() {}

    /** One bar per value, sorted as given, green above zero and red below: per-query differences. */
    static Chart differences(String title, double[] values, String yLabel) {
        int width = 760;
        int height = 320;
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        double scale = max == 0 ? 1 : max;
        return new Chart(title, width, height, c -> {
            double top = MARGIN + 10;
            double bottom = height - MARGIN;
            double zero = (top + bottom) / 2;
            double half = (bottom - top) / 2;
            double plotWidth = width - MARGIN_LEFT - MARGIN;
            c.text(width / 2.0, 18, title, 0, 14, AXIS);
            double step = values.length == 0 ? 0 : plotWidth / values.length;
            for (int i = 0; i < values.length; i++) {
                double h = half * values[i] / scale;
                double x = MARGIN_LEFT + i * step;
                double w = Math.max(step * 0.8, 0.5);
                if (h >= 0) {
                    c.rect(x, zero - h, w, h, GOOD);
                } else {
                    c.rect(x, zero, w, -h, BAD);
                }
            }
            c.line(MARGIN_LEFT, zero, width - MARGIN, zero, AXIS);
            c.line(MARGIN_LEFT, top, MARGIN_LEFT, bottom, AXIS);
            c.text(MARGIN_LEFT - 6, top + 4, number(scale), 1, 11, AXIS);
            c.text(MARGIN_LEFT - 6, zero + 4, "0", 1, 11, AXIS);
            c.text(MARGIN_LEFT - 6, bottom, number(-scale), 1, 11, AXIS);
            c.text(MARGIN_LEFT + plotWidth / 2, height - 8, values.length + " queries, sorted; " + yLabel, 0, 11,
                    AXIS);
        });
    }

    /** Grouped bars: for each category (a metric), one bar per series (a system), values in [0, 1]. */
    static Chart grouped(String title, List<String> categories, List<String> series, double[][] values) {
        int width = 760;
        int height = 320;
        return new Chart(title, width, height, c -> {
            double top = MARGIN + 24;
            double bottom = height - MARGIN - 10;
            double plotWidth = width - MARGIN_LEFT - MARGIN;
            c.text(width / 2.0, 18, title, 0, 14, AXIS);
            for (int s = 0; s < series.size(); s++) {
                double x = MARGIN_LEFT + s * 150;
                c.rect(x, 28, 12, 12, SERIES[s % SERIES.length]);
                c.text(x + 16, 38, series.get(s), -1, 11, AXIS);
            }
            for (int t = 0; t <= 4; t++) {
                double y = bottom - (bottom - top) * t / 4;
                c.line(MARGIN_LEFT - 3, y, MARGIN_LEFT, y, AXIS);
                c.text(MARGIN_LEFT - 6, y + 4, number(t / 4.0), 1, 11, AXIS);
            }
            double groupWidth = categories.isEmpty() ? 0 : plotWidth / categories.size();
            double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
            for (int m = 0; m < categories.size(); m++) {
                double groupX = MARGIN_LEFT + m * groupWidth + groupWidth * 0.1;
                for (int s = 0; s < series.size(); s++) {
                    double v = Math.max(0, Math.min(1, values[s][m]));
                    double h = (bottom - top) * v;
                    double x = groupX + s * barWidth;
                    c.rect(x, bottom - h, barWidth * 0.9, h, SERIES[s % SERIES.length]);
                    c.text(x + barWidth * 0.45, bottom - h - 4, number(values[s][m]), 0, 10, AXIS);
                }
                c.text(groupX + groupWidth * 0.4, bottom + 16, categories.get(m), 0, 12, AXIS);
            }
            c.line(MARGIN_LEFT, bottom, width - MARGIN, bottom, AXIS);
            c.line(MARGIN_LEFT, top, MARGIN_LEFT, bottom, AXIS);
        });
    }

    /** Horizontal bars, largest first: feature importance. */
    static Chart horizontal(String title, List<String> labels, double[] values, String unit) {
        int rowHeight = 22;
        int width = 760;
        int height = 60 + rowHeight * labels.size();
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double scale = max == 0 ? 1 : max;
        return new Chart(title, width, height, c -> {
            int labelWidth = 200;
            double plotWidth = width - labelWidth - MARGIN - 60;
            c.text(width / 2.0, 18, title, 0, 14, AXIS);
            for (int i = 0; i < labels.size(); i++) {
                double y = 36 + i * rowHeight;
                double w = plotWidth * values[i] / scale;
                c.text(labelWidth - 8, y + 14, labels.get(i), 1, 12, AXIS);
                c.rect(labelWidth, y + 3, w, rowHeight - 6, SERIES[0]);
                c.text(labelWidth + w + 6, y + 14, number(values[i]) + unit, -1, 11, AXIS);
            }
            c.line(labelWidth, 32, labelWidth, height - 20, AXIS);
        });
    }

    static String number(double value) {
        if (value != 0 && Math.abs(value) < 0.01) {
            return String.format(Locale.ROOT, "%.1e", value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static final class SvgCanvas implements Canvas {
        private final StringBuilder body = new StringBuilder();

        @Override
        public void rect(double x, double y, double width, double height, String color) {
            body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"/>", x, y, width, height, color));
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, String color) {
            body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"%s\"/>", x1, y1, x2, y2, color));
        }

        @Override
        public void text(double x, double y, String text, int align, int size, String color) {
            String anchor = align < 0 ? "start" : align == 0 ? "middle" : "end";
            body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                    + "font-family=\"sans-serif\" fill=\"%s\">%s</text>", x, y, anchor, size, color,
                    Reports.escape(text)));
        }
    }

    private static final class ImageCanvas implements Canvas {
        private final Graphics2D g;

        ImageCanvas(Graphics2D g) {
            this.g = g;
            g.setStroke(new BasicStroke(1f));
        }

        @Override
        public void rect(double x, double y, double width, double height, String color) {
            g.setColor(Color.decode(color));
            g.fill(new java.awt.geom.Rectangle2D.Double(x, y, width, height));
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, String color) {
            g.setColor(Color.decode(color));
            g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        public void text(double x, double y, String text, int align, int size, String color) {
            g.setColor(Color.decode(color));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            double width = g.getFontMetrics().stringWidth(text);
            double start = align < 0 ? x : align == 0 ? x - width / 2 : x - width;
            g.drawString(text, (float) start, (float) y);
        }
    }
}
