package io.github.agentobservability.compatibility;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What an application adds to see its spans: an in-memory exporter behind a simple
 * (synchronous) processor, and a processor counting the spans started and ended, so that
 * a span left open shows as a difference. Both are plain {@link SpanProcessor} beans,
 * which Boot adds to the tracer provider it builds; the exporter is not a bean, or Boot's
 * batch processor would export to it too.
 */
@Configuration(proxyBeanMethods = false)
public class SpanRecording {

	@Bean
	RecordedSpans compatibilityRecordedSpans() {
		return new RecordedSpans();
	}

	@Bean
	SpanCounter compatibilitySpanCounter() {
		return new SpanCounter();
	}

	/**
	 * Counts spans started and ended.
	 */
	public static class SpanCounter implements SpanProcessor {

		private final AtomicInteger started = new AtomicInteger();

		private final AtomicInteger ended = new AtomicInteger();

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
			this.started.incrementAndGet();
		}

		@Override
		public boolean isStartRequired() {
			return true;
		}

		@Override
		public void onEnd(ReadableSpan span) {
			this.ended.incrementAndGet();
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

		public int started() {
			return this.started.get();
		}

		public int open() {
			return this.started.get() - this.ended.get();
		}

	}

	/**
	 * Keeps every span that ends, as it ends.
	 */
	public static class RecordedSpans implements SpanProcessor {

		private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

		private final SpanProcessor processor = SimpleSpanProcessor.create(this.exporter);

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
		}

		@Override
		public boolean isStartRequired() {
			return false;
		}

		@Override
		public void onEnd(ReadableSpan span) {
			this.processor.onEnd(span);
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

		public List<SpanData> all() {
			return this.exporter.getFinishedSpanItems();
		}

		public List<SpanData> named(String name) {
			return all().stream().filter((span) -> span.getName().equals(name)).toList();
		}

	}

}
