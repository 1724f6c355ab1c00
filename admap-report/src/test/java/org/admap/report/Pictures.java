package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What the tests read back from a drawn map: pixels of a colour in a PNG, the texts of an SVG.
 * Shared with admap-cli's end-to-end report tests through this module's test jar.
 */
public final class Pictures {

    private Pictures() {
    }

    /** Pixels within a small distance of a colour. */
    public static long countNear(BufferedImage image, Color c, int tolerance) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 255) - c.getRed()) + Math.abs(((p >> 8) & 255) - c.getGreen())
                        + Math.abs((p & 255) - c.getBlue());
                if (d <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Every text element of an SVG document, which must be well-formed XML. */
    public static List<String> svgTexts(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList texts = doc.getElementsByTagName("text");
        List<String> list = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            list.add(texts.item(i).getTextContent());
        }
        return list;
    }
}
