package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.github.agentobservability.export.OtlpReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end conformance assertion: waits for a scenario's spans at an
 * {@link OtlpReceiver}, then judges every span received with {@link GenAiConformance}
 * against the copied semconv registry. Public, and in this module's test-jar, so that the
 * sample application's tests judge its spans with the same checker as the starter's own
 * conformance tests.
 */
public final class GenAiConformanceAssertions {

	private static final GenAiConformance conformance = new GenAiConformance(SemconvRegistry.load());

	private GenAiConformanceAssertions() {
	}

	/**
	 * Waits up to 10 seconds until the receiver holds the scenario's GenAI spans and every
	 * span's parent (spans end, and are exported, children first), then asserts that no
	 * span received violates the conventions; the failure message lists every violation.
	 * @param receiver the receiver the application exports to
	 * @param operations how many spans of each {@code gen_ai.operation.name} the scenario
	 * makes at least
	 */
	public static void assertConforms(OtlpReceiver receiver, Map<String, Integer> operations) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<Span> spans = receiver.spans();
			Map<String, Long> counts = spans.stream()
				.map(GenAiConformanceAssertions::operation)
				.filter((operation) -> operation != null)
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			operations.forEach((operation, count) -> assertThat(counts.getOrDefault(operation, 0L))
				.as("spans of operation %s", operation)
				.isGreaterThanOrEqualTo(count));
			Set<ByteString> ids = spans.stream().map(Span::getSpanId).collect(Collectors.toSet());
			assertThat(spans).allSatisfy((span) -> assertThat(span.getParentSpanId().isEmpty()
					|| ids.contains(span.getParentSpanId())).as("parent of %s received", span.getName()).isTrue());
		});
		List<Span> spans = receiver.spans();
		List<String> violations = conformance.check(spans);
		assertThat(violations).withFailMessage(() -> violations.size() + " GenAI semconv violations in "
				+ spans.size() + " spans:\n" + String.join("\n", violations))
			.isEmpty();
	}

	/**
	 * The {@code gen_ai.operation.name} of a span.
	 * @param span a decoded span
	 * @return the operation, or {@code null} when the span has none
	 */
	public static String operation(Span span) {
		return span.getAttributesList()
			.stream()
			.filter((attribute) -> attribute.getKey().equals("gen_ai.operation.name"))
			.map(KeyValue::getValue)
			.map(AnyValue::getStringValue)
			.findFirst()
			.orElse(null);
	}

}
