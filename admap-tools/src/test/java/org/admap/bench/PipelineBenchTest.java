package org.admap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchTest {

    @TempDir
    Path dir;

    @Test
    void theScriptSplitsAtSemicolonsThatEndALineAndDropsComments() {
        assertThat(DuckDbScript.statements("-- a comment; not a statement\nSELECT 1;\nSELECT 'a;b'\n  FROM t;\n"))
                .containsExactly("SELECT 1", "SELECT 'a;b'\n  FROM t");
    }

    @Test
    void theShippedPipelineScriptHasItsStatements() {
        assertThat(DuckDbScript.statements(DuckDbScript.PIPELINE)).hasSizeGreaterThan(5)
                .allSatisfy(s -> assertThat(s).doesNotContain(";\n"));
    }

    @Test
    void flagsAgreeWhateverTheOrderOfRowsAndReasons() throws Exception {
        Path a = write("a.csv", "id,prompt,reasons\nx,p,low-impact;misannotated\ny,q,low-impact\n");
        Path d = write("d.csv", "id,reasons\ny,low-impact\nx,misannotated;low-impact\n");
        assertThat(PipelineBench.compareFlags(a, d)).startsWith("same ids and reasons");
    }

    @Test
    void aFlagOnlyOneSideHasIsCountedUnderItsReason() throws Exception {
        Path a = write("a.csv", "id,reasons\nx,low-impact\ny,low-impact\n");
        Path d = write("d.csv", "id,reasons\nx,low-impact\nz,low-impact\n");
        assertThat(PipelineBench.compareFlags(a, d))
                .startsWith("DIFFER").contains("low-impact 2/2 (only admap 1, only duckdb 1)");
    }

    @Test
    void pairsAgreeOnTheirTextsAndValuesNotOnHowNumbersAreWritten() throws Exception {
        Path a = write("a.jsonl", "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"score_chosen\":2.0,"
                + "\"score_rejected\":1.0}\n");
        Path same = write("s.jsonl", "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"score_chosen\":2,"
                + "\"score_rejected\":1}\n");
        Path other = write("o.jsonl", "{\"prompt\":\"p\",\"chosen\":\"r\",\"rejected\":\"c\",\"score_chosen\":2,"
                + "\"score_rejected\":1}\n");
        assertThat(PipelineBench.comparePairs(a, same)).startsWith("same pairs");
        assertThat(PipelineBench.comparePairs(a, other)).startsWith("DIFFER").contains("only admap 1");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
