package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.TracingContextRunners;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 threads × 5,000 nested {@code @Traced} calls: every span exported once, every inner
 * span the child of its own outer span, every outer span a root (nothing left current
 * by an earlier call on the same thread), and no observation left current afterwards.
 */
class TracedConcurrencyTests {

	private static final int THREADS = 64;

	private static final int CALLS = 5_000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(TracingContextRunners.BOOT_AND_STARTER)
		.withPropertyValues("management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.max-queue-size=1000000",
				"management.opentelemetry.tracing.export.max-batch-size=8192",
				"management.opentelemetry.tracing.export.schedule-delay=50ms")
		.withUserConfiguration(Beans.class);

	@Test
	void concurrentCallsGiveExactCountsCorrectParentsAndNoLeakedContext() {
		this.contextRunner.run((context) -> {
			Outer outer = context.getBean(Outer.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			ExecutorService executor = Executors.newFixedThreadPool(THREADS);
			CountDownLatch start = new CountDownLatch(1);
			AtomicLong leaks = new AtomicLong();
			try {
				Future<?>[] futures = new Future<?>[THREADS];
				for (int t = 0; t < THREADS; t++) {
					int thread = t;
					futures[t] = executor.submit(() -> {
						start.await();
						for (int call = 0; call < CALLS; call++) {
							outer.call(thread + "-" + call);
							if (registry.getCurrentObservation() != null) {
								leaks.incrementAndGet();
							}
						}
						return null;
					});
				}
				start.countDown();
				for (Future<?> future : futures) {
					future.get(5, TimeUnit.MINUTES);
				}
			}
			finally {
				executor.shutdown();
			}
			context.getBean(SdkTracerProvider.class).forceFlush().join(2, TimeUnit.MINUTES);
			ParentCheckingExporter exporter = context.getBean(ParentCheckingExporter.class);
			assertThat(leaks.get()).isZero();
			assertThat(exporter.outerSpans).hasSize(THREADS * CALLS);
			assertThat(exporter.innerParents).hasSize(THREADS * CALLS);
			assertThat(exporter.duplicates.get()).isZero();
			assertThat(exporter.nonRootOuters.get()).isZero();
			assertThat(exporter.innerParents).allSatisfy(
					(callId, parent) -> assertThat(parent).isEqualTo(exporter.outerSpans.get(callId)));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		ParentCheckingExporter parentCheckingExporter() {
			return new ParentCheckingExporter();
		}

		@Bean
		Inner inner() {
			return new Inner();
		}

		@Bean
		Outer outer(Inner inner) {
			return new Outer(inner);
		}

	}

	static class Outer {

		private final Inner inner;

		Outer(Inner inner) {
			this.inner = inner;
		}

		@Traced("outer")
		public String call(@SpanAttribute("call.id") String id) {
			return this.inner.call(id);
		}

	}

	static class Inner {

		@Traced("inner")
		public String call(@SpanAttribute("call.id") String id) {
			return id;
		}

	}

	static class ParentCheckingExporter implements SpanExporter {

		private static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("call.id");

		final Map<String, String> outerSpans = new ConcurrentHashMap<>();

		final Map<String, String> innerParents = new ConcurrentHashMap<>();

		final AtomicLong duplicates = new AtomicLong();

		final AtomicLong nonRootOuters = new AtomicLong();

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			for (SpanData span : spans) {
				String callId = span.getAttributes().get(CALL_ID);
				if (span.getName().equals("outer")) {
					if (span.getParentSpanContext().isValid()) {
						this.nonRootOuters.incrementAndGet();
					}
					if (this.outerSpans.put(callId, span.getSpanId()) != null) {
						this.duplicates.incrementAndGet();
					}
				}
				else if (span.getName().equals("inner")
						&& this.innerParents.put(callId, span.getParentSpanId()) != null) {
					this.duplicates.incrementAndGet();
				}
			}
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
