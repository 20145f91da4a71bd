package io.github.agentobservability.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.agentobservability.benchmarks.ArmContexts.Aop;
import io.github.agentobservability.benchmarks.ArmContexts.HandWrittenObservationBean;
import io.github.agentobservability.benchmarks.ArmContexts.HandWrittenSpanBean;
import io.github.agentobservability.benchmarks.ArmContexts.InterceptedBean;
import io.github.agentobservability.benchmarks.ArmContexts.Metrics;
import io.github.agentobservability.benchmarks.ArmContexts.ObservedBean;
import io.github.agentobservability.benchmarks.ArmContexts.OpenTelemetryAnnotations;
import io.github.agentobservability.benchmarks.ArmContexts.Starter;
import io.github.agentobservability.benchmarks.ArmContexts.TracedBeans;
import io.github.agentobservability.benchmarks.ArmContexts.Tracing;
import io.github.agentobservability.benchmarks.ArmContexts.WithSpanBean;
import io.github.agentobservability.tracing.internal.TracedAdvisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.aop.ObservationKeyValueAnnotationHandler;
import io.micrometer.observation.aop.ObservedAspect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of one call to a trivial method under each kind of instrumentation a Spring
 * team would pick, in one run with the same JVM settings. One benchmark method per arm,
 * each with its own state (its own application context, started once per fork) so that
 * every arm runs in a JVM of its own whose call sites saw no other arm.
 * <p>
 * Each arm's setup proves that the arm does what it claims: one call makes exactly one
 * span when sampled and none when not, the proxies are there or not, the agent meters
 * move. The teardown checks that the measured calls made spans.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class InstrumentationBenchmark {

	static final String QUESTION = "What is the capital of France?";

	// ---- 1. plain call ----

	@Benchmark
	public String plainCall(PlainArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 2. Spring AOP advice that only proceeds ----

	@Benchmark
	public String aopProceedOnly(AopArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 3. OpenTelemetry span by hand ----

	@Benchmark
	public String otelSpanSampled(OtelSpanSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String otelSpanNotSampled(OtelSpanNotSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 4. Micrometer Observation API by hand ----

	@Benchmark
	public String observationSampled(ObservationArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 5. OpenTelemetry @WithSpan ----

	@Benchmark
	public String withSpanSampled(WithSpanArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 6. Micrometer @Observed ----

	@Benchmark
	public String observedSampled(ObservedArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String observedWithMetersSampled(ObservedWithMetersArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 7. @Traced ----

	@Benchmark
	public String tracedSampled(TracedSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String tracedNotSampled(TracedNotSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String tracedStarterDisabled(TracedDisabledArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String tracedWithMetersSampled(TracedWithMetersArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String tracedSpanApiSampled(TracedSpanApiSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	@Benchmark
	public String tracedSpanApiNotSampled(TracedSpanApiNotSampledArm arm) {
		return arm.bean.answer(arm.question);
	}

	// ---- 8. @Traced(agent = "bench") ----

	@Benchmark
	public String tracedAgentWithMetersSampled(TracedAgentArm arm) {
		return arm.bean.run(arm.question);
	}

	// ---- states ----

	/** What every arm has: the argument, and the context when there is one. */
	public abstract static class Arm<T> {

		public String question = QUESTION;

		ConfigurableApplicationContext context;

		T bean;

		final void open(Class<T> type, Class<?>[] sources, String... properties) {
			this.context = ArmContexts.start(sources, properties);
			this.bean = this.context.getBean(type);
		}

		/** Calls once and checks that exactly one span was exported, returns its name. */
		final String expectOneSpan(UnaryOperator<String> call) {
			long before = ArmContexts.flushAndCount(this.context);
			String answer = call.apply(this.question);
			long after = ArmContexts.flushAndCount(this.context);
			check(QUESTION.equals(answer), "wrong answer " + answer);
			check(after - before == 1, "expected 1 span from one call, got " + (after - before));
			String name = this.context.getBean(CountingSpanExporter.class).getLastSpanName();
			log("one call made the span '" + name + "'");
			return name;
		}

		final void expectNoSpan(UnaryOperator<String> call) {
			long before = ArmContexts.flushAndCount(this.context);
			String answer = call.apply(this.question);
			long after = ArmContexts.flushAndCount(this.context);
			check(QUESTION.equals(answer), "wrong answer " + answer);
			check(after == before, "expected no span from a call that is not sampled, got " + (after - before));
			log("one call made no exported span, as expected");
		}

		final void expectProxy(boolean proxy) {
			check(AopUtils.isAopProxy(this.bean) == proxy,
					this.bean.getClass().getName() + (proxy ? " is not a proxy" : " is a proxy"));
		}

		final void log(String message) {
			System.err.println("[" + getClass().getSimpleName() + "] " + message);
		}

		final void logMeters() {
			MeterRegistry registry = this.context.getBean(MeterRegistry.class);
			log("meters: " + registry.getMeters()
				.stream()
				.map(Meter::getId)
				.map((id) -> id.getName() + id.getTags())
				.sorted()
				.toList());
		}

		/** Closes the context, after checking that the sampled calls were exported. */
		final void close(boolean sampled) {
			if (this.context == null) {
				return;
			}
			try {
				if (this.context.getBeanNamesForType(CountingSpanExporter.class).length > 0) {
					long exported = ArmContexts.flushAndCount(this.context);
					long ended = this.context.getBean(EndedSpanCounter.class).getEnded();
					log("sampled spans ended during the trial: " + ended + ", exported: " + exported
							+ ", dropped by the batch processor (queue full): " + (ended - exported)
							+ ((ended > 0) ? String.format(" (%.1f%%)", 100.0 * (ended - exported) / ended) : ""));
					check(!sampled || exported > 1, "the measured calls made no span");
					check(sampled || exported == 0, "calls that are not sampled made spans");
				}
			}
			finally {
				this.context.close();
			}
		}

		static void check(boolean condition, String message) {
			if (!condition) {
				throw new IllegalStateException(message);
			}
		}

	}

	@State(Scope.Benchmark)
	public static class PlainArm extends Arm<Workloads.Plain> {

		@Setup(Level.Trial)
		public void setUp() {
			this.bean = new Workloads.Plain();
		}

	}

	@State(Scope.Benchmark)
	public static class AopArm extends Arm<Workloads.Intercepted> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.Intercepted.class, ArmContexts.sources(Aop.class, InterceptedBean.class));
			check(AopUtils.isCglibProxy(this.bean), "not a CGLIB proxy");
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(false);
		}

	}

	@State(Scope.Benchmark)
	public static class OtelSpanSampledArm extends Arm<Workloads.HandWrittenSpan> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.HandWrittenSpan.class, ArmContexts.sources(Tracing.class, HandWrittenSpanBean.class),
					ArmContexts.SAMPLED);
			expectOneSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	@State(Scope.Benchmark)
	public static class OtelSpanNotSampledArm extends Arm<Workloads.HandWrittenSpan> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.HandWrittenSpan.class, ArmContexts.sources(Tracing.class, HandWrittenSpanBean.class),
					ArmContexts.NOT_SAMPLED);
			expectNoSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(false);
		}

	}

	@State(Scope.Benchmark)
	public static class ObservationArm extends Arm<Workloads.HandWrittenObservation> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.HandWrittenObservation.class,
					ArmContexts.sources(Tracing.class, HandWrittenObservationBean.class), ArmContexts.SAMPLED);
			expectOneSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	@State(Scope.Benchmark)
	public static class WithSpanArm extends Arm<Workloads.WithSpanAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.WithSpanAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, OpenTelemetryAnnotations.class, WithSpanBean.class),
					ArmContexts.SAMPLED);
			expectProxy(true);
			expectOneSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	/** {@code @Observed} as Boot wires it, tracing only. */
	@State(Scope.Benchmark)
	public static class ObservedArm extends Arm<Workloads.ObservedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.ObservedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, ObservedBean.class), ArmContexts.SAMPLED,
					"management.observations.annotations.enabled=true");
			checkObservedAspect(this);
			expectOneSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	/** {@code @Observed} with Boot's metrics too: a timer per call as well as a span. */
	@State(Scope.Benchmark)
	public static class ObservedWithMetersArm extends Arm<Workloads.ObservedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.ObservedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, Metrics.class, ObservedBean.class),
					ArmContexts.SAMPLED, "management.observations.annotations.enabled=true");
			checkObservedAspect(this);
			expectOneSpan(this.bean::answer);
			MeterRegistry registry = this.context.getBean(MeterRegistry.class);
			check(registry.find("answer").timer() != null, "no 'answer' timer from Boot's meter handler");
			logMeters();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	static void checkObservedAspect(Arm<?> arm) {
		arm.expectProxy(true);
		Arm.check(arm.context.getBeanNamesForType(ObservedAspect.class).length == 1, "no ObservedAspect");
		arm.log("ObservationKeyValueAnnotationHandler beans: "
				+ Arrays.toString(arm.context.getBeanNamesForType(ObservationKeyValueAnnotationHandler.class)));
	}

	@State(Scope.Benchmark)
	public static class TracedSampledArm extends Arm<Workloads.TracedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, Starter.class, TracedBeans.class),
					ArmContexts.SAMPLED);
			expectProxy(true);
			check("answer".equals(expectOneSpan(this.bean::answer)), "not the @Traced span");
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	@State(Scope.Benchmark)
	public static class TracedNotSampledArm extends Arm<Workloads.TracedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, Starter.class, TracedBeans.class),
					ArmContexts.NOT_SAMPLED);
			expectProxy(true);
			expectNoSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(false);
		}

	}

	/** {@code @Traced} whose method sets two attributes through {@code CurrentSpan}. */
	@State(Scope.Benchmark)
	public static class TracedSpanApiSampledArm extends Arm<Workloads.TracedWithSpanApi> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedWithSpanApi.class,
					ArmContexts.sources(Aop.class, Tracing.class, Starter.class, TracedBeans.class),
					ArmContexts.SAMPLED);
			expectProxy(true);
			check("answer".equals(expectOneSpan(this.bean::answer)), "not the @Traced span");
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	/** The same, not sampled: the span API must cost next to nothing. */
	@State(Scope.Benchmark)
	public static class TracedSpanApiNotSampledArm extends Arm<Workloads.TracedWithSpanApi> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedWithSpanApi.class,
					ArmContexts.sources(Aop.class, Tracing.class, Starter.class, TracedBeans.class),
					ArmContexts.NOT_SAMPLED);
			expectProxy(true);
			expectNoSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(false);
		}

	}

	/** {@code agent.observability.enabled=false}: no aspect, so no proxy at all. */
	@State(Scope.Benchmark)
	public static class TracedDisabledArm extends Arm<Workloads.TracedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, Starter.class, TracedBeans.class),
					ArmContexts.SAMPLED, "agent.observability.enabled=false");
			check(this.context.getBeanNamesForType(TracedAdvisor.class).length == 0, "the advisor is there");
			expectProxy(false);
			expectNoSpan(this.bean::answer);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(false);
		}

	}

	/** {@code @Traced} in an application with metrics: the starter's handler claims the observation. */
	@State(Scope.Benchmark)
	public static class TracedWithMetersArm extends Arm<Workloads.TracedAnnotated> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.TracedAnnotated.class,
					ArmContexts.sources(Aop.class, Tracing.class, Metrics.class, Starter.class, TracedBeans.class),
					ArmContexts.SAMPLED);
			expectProxy(true);
			check("answer".equals(expectOneSpan(this.bean::answer)), "not the @Traced span");
			logMeters();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

	@State(Scope.Benchmark)
	public static class TracedAgentArm extends Arm<Workloads.AgentEntryPoint> {

		@Setup(Level.Trial)
		public void setUp() {
			open(Workloads.AgentEntryPoint.class,
					ArmContexts.sources(Aop.class, Tracing.class, Metrics.class, Starter.class, TracedBeans.class),
					ArmContexts.SAMPLED);
			expectProxy(true);
			check("invoke_agent bench".equals(expectOneSpan(this.bean::run)), "not the agent span");
			Counter runs = this.context.getBean(MeterRegistry.class)
				.find("agent.requests")
				.tag("agent", "bench")
				.counter();
			check(runs != null && runs.count() == 1, "the agent run was not counted");
			logMeters();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			close(true);
		}

	}

}
