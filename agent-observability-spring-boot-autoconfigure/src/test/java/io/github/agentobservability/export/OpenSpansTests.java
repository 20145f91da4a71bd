package io.github.agentobservability.export;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OpenSpans}.
 */
class OpenSpansTests {

	private final OpenSpans openSpans = new OpenSpans(false);

	private final List<SpanData> ended = new ArrayList<>();

	private final List<SdkTracerProvider> tracerProviders = new ArrayList<>();

	@AfterEach
	void closeTracerProviders() {
		this.tracerProviders.forEach(SdkTracerProvider::close);
	}

	@Test
	void countsTheSpansOfATraceStillOpenAndNotDelivered() {
		Tracer tracer = tracer(Sampler.alwaysOn());
		Span root = tracer.spanBuilder("root").startSpan();
		Span child = tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
		String traceId = root.getSpanContext().getTraceId();
		assertThat(this.openSpans.remaining(traceId)).isEqualTo(new OpenSpans.Remaining(2, 2));
		child.end();
		assertThat(this.openSpans.remaining(traceId)).isEqualTo(new OpenSpans.Remaining(1, 2));
		deliver();
		assertThat(this.openSpans.remaining(traceId)).isEqualTo(new OpenSpans.Remaining(1, 1));
		root.end();
		deliver();
		assertThat(this.openSpans.remaining(traceId)).isEqualTo(new OpenSpans.Remaining(0, 0));
	}

	@Test
	void unsampledSpansAreNotCounted() {
		Span span = tracer(Sampler.alwaysOff()).spanBuilder("unsampled").startSpan();
		assertThat(this.openSpans.remaining(span.getSpanContext().getTraceId()))
			.isEqualTo(new OpenSpans.Remaining(0, 0));
	}

	@Test
	void aForgottenTraceIsNotCountedAnyMore() {
		Span open = tracer(Sampler.alwaysOn()).spanBuilder("never ends").startSpan();
		String traceId = open.getSpanContext().getTraceId();
		this.openSpans.forget(traceId);
		open.end();
		deliver();
		assertThat(this.openSpans.remaining(traceId)).isEqualTo(new OpenSpans.Remaining(0, 0));
	}

	@Test
	void tracesLeftBehindDoNotGrowMemoryPastTheBound() {
		Tracer tracer = tracer(Sampler.alwaysOn());
		List<String> traceIds = new ArrayList<>();
		for (int i = 0; i <= OpenSpans.MAX_TRACES; i++) {
			traceIds.add(tracer.spanBuilder("never ends").startSpan().getSpanContext().getTraceId());
		}
		assertThat(this.openSpans.remaining(traceIds.get(0))).isEqualTo(new OpenSpans.Remaining(0, 0));
		assertThat(this.openSpans.remaining(traceIds.get(OpenSpans.MAX_TRACES)))
			.isEqualTo(new OpenSpans.Remaining(1, 1));
	}

	private Tracer tracer(Sampler sampler) {
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.setSampler(sampler)
			.addSpanProcessor(this.openSpans)
			.addSpanProcessor(SimpleSpanProcessor.create(new Capturing(this.ended)))
			.build();
		this.tracerProviders.add(tracerProvider);
		return tracerProvider.get("test");
	}

	private void deliver() {
		this.openSpans.delivering(new Capturing(new ArrayList<>())).export(List.copyOf(this.ended));
		this.ended.clear();
	}

	private record Capturing(List<SpanData> spans) implements SpanExporter {

		@Override
		public CompletableResultCode export(Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
