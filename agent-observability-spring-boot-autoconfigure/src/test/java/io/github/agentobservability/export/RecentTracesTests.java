package io.github.agentobservability.export;

import java.util.List;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentTracesTests {

	@Test
	void keepsOnlyTheLastTracesAndABoundedNumberOfSpansEach() {
		RecentTraces recent = new RecentTraces(3, 2);
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(recent.exporter()))
			.build()) {
			var tracer = provider.get("test");
			for (int i = 0; i < 5; i++) {
				var root = tracer.spanBuilder("root-" + i).startSpan();
				try (var scope = root.makeCurrent()) {
					for (int child = 0; child < 4; child++) {
						tracer.spanBuilder("child").startSpan().end();
					}
				}
				root.end();
			}
		}
		List<List<SpanData>> traces = recent.traces();
		assertThat(traces).hasSize(3).allSatisfy((trace) -> assertThat(trace).hasSize(2));
		String newest = traces.get(0).get(0).getTraceId();
		assertThat(recent.trace(newest)).hasSize(2);
		assertThat(recent.trace("00000000000000000000000000000001")).isEmpty();
	}

}
