package io.github.agentobservability.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code promtool check metrics}, Prometheus' own linter of the text format, on a scrape
 * written to a file. CI installs Prometheus, so there the check cannot be skipped.
 */
public final class Promtool {

	private Promtool() {
	}

	/**
	 * Asserts that promtool accepts a scrape; skipped outside CI when promtool is not
	 * installed.
	 * @param file the scrape, in the Prometheus text format
	 * @throws IOException if the file or promtool's output cannot be read
	 * @throws InterruptedException if interrupted while promtool runs
	 */
	public static void assertAccepts(Path file) throws IOException, InterruptedException {
		boolean installed = Files.isExecutable(Path.of("/usr/bin/promtool"));
		if (!installed) {
			assertThat(System.getenv("CI")).as("promtool must be installed in CI (.ci/run installs prometheus)")
				.isNotEqualTo("true");
			return;
		}
		Path output = file.resolveSibling(file.getFileName() + ".promtool.txt");
		Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectInput(file.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
		// 0: clean; 3: style warnings only (e.g. counters without _total are not ours).
		assertThat(promtool.exitValue()).as(Files.readString(output)).isIn(0, 3);
	}

}
