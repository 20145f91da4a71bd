package io.github.agentobservability.sample;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console exporter on the sample, as a developer reads it: a streamed ask, whose chat
 * span ends a few milliseconds after the HTTP span above it, is printed as one whole tree,
 * never as a tree and a {@code (late)} remainder.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "agent.observability.exporters.console.enabled=true",
				"agent.observability.exporters.jsonl.enabled=false",
				"management.opentelemetry.tracing.export.schedule-delay=100ms" })
@ExtendWith(OutputCaptureExtension.class)
class ConsoleTreeTests {

	@LocalServerPort
	int port;

	@Test
	void eachStreamedAskIsPrintedAsOneWholeTree(CapturedOutput output) throws Exception {
		for (int i = 0; i < 3; i++) {
			String traceId = TestTraces.randomHex(32);
			assertThat(TestTraces.stream(this.port, "{\"question\":\"What is tail sampling?\"}", traceId).statusCode())
				.isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output.getOut()).contains("trace " + traceId));
			String tree = treeOf(output.getOut(), traceId);
			assertThat(tree).as("the tree of %s", traceId)
				.contains("http post /api/ask/stream", "invoke_agent rag", "retrieval corpus", "chat local-extractive-1",
						"execute_tool countDocuments")
				.doesNotContain("still open", "missing", "incomplete");
			assertThat(count(output.getOut(), "trace " + traceId)).as("trees printed for %s", traceId).isOne();
		}
	}

	/** The lines of the console's tree of one trace, up to the next log line. */
	private static String treeOf(String out, String traceId) {
		// The tree's lines start with its drawing characters or spaces
		Matcher tree = Pattern.compile("trace " + traceId + ".*?(?=\\n[^\\s│├└]|\\z)", Pattern.DOTALL).matcher(out);
		assertThat(tree.find()).isTrue();
		return tree.group();
	}

	private static int count(String out, String text) {
		int count = 0;
		for (int at = out.indexOf(text); at >= 0; at = out.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

}
