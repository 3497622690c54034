package dev.tpcbridge.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples jar's command line: --help at the top and for each demo prints the usage and exits 0. */
class MainTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run main(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheDemos() throws Exception {
        for (String help : new String[] {"--help", "-h", "help"}) {
            Run run = main(help);
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("Demos:") && run.out().contains("pump") && run.out().contains("shard"),
                run.out());
        }
    }

    @Test
    void everyDemoPrintsItsUsage() throws Exception {
        Run pump = main("pump", "--help");
        assertEquals(0, pump.exit(), pump.err());
        assertTrue(pump.out().contains("Usage: pump") && pump.out().contains("--bytes=SIZE")
            && pump.out().contains("--control=coroutines|pipeline|threads"), pump.out());
        assertTrue(!pump.out().contains("--fault"), "the tests' fault option stays hidden");
        Run shard = main("shard", "--help");
        assertEquals(0, shard.exit(), shard.err());
        assertTrue(shard.out().contains("Usage: shard") && shard.out().contains("--snapshot-every-ms"), shard.out());
        for (String demo : new String[] {"ring", "tenants", "pump-chart"}) {
            Run run = main(demo, "--help");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().startsWith("Usage: " + demo), run.out());
        }
    }

    @Test
    void aBadCommandLineExitsTwoNamingIt() throws Exception {
        Run unknown = main("fly");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown demo 'fly'"), unknown.err());
        Run option = main("pump", "--frobnicate", "1");
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("--frobnicate"), option.err());
        Run value = main("shard", "--cores");
        assertEquals(2, value.exit());
        assertTrue(value.err().contains("--cores"), value.err());
    }
}
