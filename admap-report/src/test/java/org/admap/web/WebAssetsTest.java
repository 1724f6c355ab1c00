package org.admap.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebAssetsTest {

    @Test
    void theKnownCspSourceOfEchartsIsTheHashOfTheScriptAsInlined() {
        String version = WebAssets.echartsVersion();
        assertThat(WebAssets.ECHARTS_SOURCES.get(version))
                .as("WebAssets.ECHARTS_SOURCES needs the line of ECharts %s", version)
                .isEqualTo(WebAssets.hashSource(WebAssets.inlineSafe(WebAssets.echarts())));
        assertThat(WebAssets.echartsHashSource()).isEqualTo(WebAssets.ECHARTS_SOURCES.get(version));
    }

    @Test
    void aScriptWithNothingToEscapeIsInlinedAsItIs() {
        String echarts = WebAssets.echarts();
        assertThat(WebAssets.inlineSafe(echarts)).isSameAs(echarts);
        String js = "if (a </b) { x = '</scrip' + 't>'; } // <!-";
        assertThat(WebAssets.inlineSafe(js)).isSameAs(js);
    }

    @Test
    void inlineSafeEscapesAsTheRegularExpressionsDoOnAnyMixOfTheSignificantCharacters() {
        char[] alphabet = {'<', '/', 's', 'S', 'c', 'r', 'R', 'i', 'p', 't', 'T', '!', '-', 'x'};
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            if (random.nextInt(4) == 0) {
                b.insert(random.nextInt(b.length() + 1), random.nextBoolean() ? "</sCrIpT" : "<!--");
            }
            String js = b.toString();
            assertThat(WebAssets.inlineSafe(js)).as(js).isEqualTo(regularExpressions(js));
        }
    }

    /** inlineSafe as it was, by regular expressions alone. */
    private static String regularExpressions(String js) {
        return Pattern.compile("(?i)</(script)").matcher(js).replaceAll("<\\\\/$1").replace("<!--", "<\\!--");
    }
}
