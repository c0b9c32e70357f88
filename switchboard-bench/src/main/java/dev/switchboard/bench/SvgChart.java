package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A dependency-free SVG chart of fan-out results: delivery latency (p50 dashed, p99 solid) and server
 * CPU µs per delivery against the requested publish rate, one colour per server. The rate axis is
 * logarithmic when the rates span more than a decade.
 */
final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final int W = 460;
    private static final int H = 340;
    private static final int ML = 60;
    private static final int MR = 15;
    private static final int MT = 35;
    private static final int MB = 45;

    private SvgChart() {}

    static void fanout(List<? extends JsonNode> results, Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                2 * W, H + 30));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(sb, results, 0, "Delivery latency (ms): p99 solid, p50 dashed", new String[] {"latencyP99Ms", "latencyP50Ms"});
        panel(sb, results, W, "Server CPU µs per delivery", new String[] {"serverCpuMicrosPerDelivery"});
        int x = ML;
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String label = r.path("label").asText("?") + " (" + r.path("subscribers").asText("?") + " subscribers)";
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, H + 8,
                    COLOURS[i % COLOURS.length]));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 16, H + 18, escape(label)));
            x += 30 + 7 * label.length();
        }
        sb.append("</svg>\n");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb.toString());
    }

    private static void panel(StringBuilder sb, List<? extends JsonNode> results, int x0, String title, String[] fields) {
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double maxY = 0;
        for (JsonNode r : results) {
            for (JsonNode s : r.path("steps")) {
                double rate = s.path("requestedRate").asDouble();
                minX = Math.min(minX, rate);
                maxX = Math.max(maxX, rate);
                for (String f : fields) {
                    maxY = Math.max(maxY, s.path(f).asDouble());
                }
            }
        }
        if (maxX <= 0) {
            return;
        }
        boolean log = minX > 0 && maxX / minX > 10;
        double lo = log ? Math.log10(minX) : 0;
        double hi = log ? Math.log10(maxX) : maxX;
        if (hi <= lo) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.06; // keep the end points and their labels off the frame
        lo = log ? lo - pad : lo;
        hi += pad;
        maxY = niceCeil(maxY);
        int pw = W - ML - MR;
        int ph = H - MT - MB;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>%n", x0 + ML, escape(title)));
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", x0 + ML, MT, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = MT + ph - ph * i / 4.0;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    x0 + ML, y, x0 + ML + pw, y, x0 + ML - 4, y + 4, Report.fmt(v)));
        }
        List<Double> ticks = new ArrayList<>();
        for (JsonNode s : results.get(0).path("steps")) {
            ticks.add(s.path("requestedRate").asDouble());
        }
        for (double t : ticks) {
            double x = x0 + ML + pw * ((log ? Math.log10(t) : t) - lo) / (hi - lo);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    MT + ph + 14, Report.fmt(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">requested publish rate (events/s%s)</text>%n",
                x0 + ML + pw / 2, MT + ph + 32, log ? ", log scale" : ""));
        for (int i = 0; i < results.size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            for (int f = 0; f < fields.length; f++) {
                StringBuilder pts = new StringBuilder();
                for (JsonNode s : results.get(i).path("steps")) {
                    double rate = s.path("requestedRate").asDouble();
                    double v = s.path(fields[f]).asDouble();
                    if (v < 0) {
                        continue;
                    }
                    double x = x0 + ML + pw * ((log ? Math.log10(rate) : rate) - lo) / (hi - lo);
                    double y = MT + ph - ph * Math.min(1, v / maxY);
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x, y, colour));
                }
                sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                        pts.toString().trim(), colour, f == 0 ? "" : " stroke-dasharray=\"5,4\""));
            }
        }
    }

    static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
