package io.github.agentobservability.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.CurrentSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.annotation.Observed;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/**
 * The benchmarked methods: the same trivial work (the answer is the question) behind each
 * kind of instrumentation, so that only the instrumentation differs. Each class is a bean
 * of its own arm's application context; none is final, so that CGLIB can proxy it.
 */
public final class Workloads {

	private Workloads() {
	}

	static String work(String question) {
		return question;
	}

	/** Arm 1 (and the bean of the disabled starter): no instrumentation. */
	public static class Plain {

		public String answer(String question) {
			return work(question);
		}

	}

	/** Arm 2: intercepted by {@link ProceedOnlyAspect}, which only proceeds. */
	public static class Intercepted {

		@ProceedOnly
		public String answer(String question) {
			return work(question);
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface ProceedOnly {

	}

	@Aspect
	public static class ProceedOnlyAspect {

		@Around("@annotation(io.github.agentobservability.benchmarks.Workloads.ProceedOnly) && execution(* *(..))")
		public Object proceed(ProceedingJoinPoint joinPoint) throws Throwable {
			return joinPoint.proceed();
		}

	}

	/** Arm 3: an OpenTelemetry span written by hand, as the OpenTelemetry docs show it. */
	public static class HandWrittenSpan {

		private final Tracer tracer;

		public HandWrittenSpan(OpenTelemetry openTelemetry) {
			this.tracer = openTelemetry.getTracer("io.github.agentobservability.benchmarks");
		}

		public String answer(String question) {
			Span span = this.tracer.spanBuilder("answer").startSpan();
			try (Scope scope = span.makeCurrent()) {
				return work(question);
			}
			catch (RuntimeException | Error ex) {
				span.recordException(ex);
				span.setStatus(StatusCode.ERROR);
				throw ex;
			}
			finally {
				span.end();
			}
		}

	}

	/** Arm 4: a Micrometer observation written by hand. */
	public static class HandWrittenObservation {

		private final ObservationRegistry registry;

		public HandWrittenObservation(ObservationRegistry registry) {
			this.registry = registry;
		}

		public String answer(String question) {
			return Observation.createNotStarted("answer", this.registry).observe(() -> work(question));
		}

	}

	/** Arm 5: OpenTelemetry's {@code @WithSpan}. */
	public static class WithSpanAnnotated {

		@WithSpan
		public String answer(String question) {
			return work(question);
		}

	}

	/** Arm 6: Micrometer's {@code @Observed}. */
	public static class ObservedAnnotated {

		@Observed(name = "answer")
		public String answer(String question) {
			return work(question);
		}

	}

	/** Arm 7: the starter's {@code @Traced}. */
	public static class TracedAnnotated {

		@Traced
		public String answer(String question) {
			return work(question);
		}

	}

	/**
	 * Arm 7 with the span API: the method sets two typed attributes on its own span, as the
	 * tutorial's retrieval sets {@code retrieval.doc_count}.
	 */
	public static class TracedWithSpanApi {

		@Traced
		public String answer(String question) {
			String answer = work(question);
			CurrentSpan.setAttribute("answer.length", answer.length());
			CurrentSpan.setAttribute("answer.cached", false);
			return answer;
		}

	}

	/** Arm 8: the starter's {@code @Traced} on an agent entry point. */
	public static class AgentEntryPoint {

		@Traced(agent = "bench")
		public String run(String question) {
			return work(question);
		}

	}

}
