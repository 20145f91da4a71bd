package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.DefaultTracedObservationConvention;
import io.github.agentobservability.tracing.TracedObservationConvention;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.internal.TracedSpanStarter.StartedSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * Traces {@link Traced} methods as Micrometer observations, so that their spans nest with
 * the observations of Spring MVC, Spring AI and other traced methods.
 * <p>
 * A plain {@link MethodInterceptor} rather than an {@code @Aspect}: an AspectJ-style
 * advice costs a reflective call, a join point and its signature on every invocation,
 * about as much as the rest of a traced call. The per-method work (name, attributes,
 * parameter bindings, result kind) is done once and cached; a call costs one
 * observation. The observation is created first, so that an {@code ObservationPredicate}
 * (or {@code management.observations.enable.traced=false}) that rejects it leaves the call
 * untouched. With a {@link TracedSpanStarter}, the span is then started before the
 * observation, and a call whose span the sampler drops is never observed, unless it is an
 * agent entry point or returns its result later. The application's exception is rethrown
 * untouched; failures of the instrumentation, a throwing {@code ObservationHandler}
 * included, are logged and never reach the caller, and what they would leave open or
 * current is put right ({@link ObservationLeftovers}). {@link CompletionStage},
 * {@code Mono} and {@code Flux} results end the observation when they complete, while the
 * scope is always closed on the calling thread; a {@code Mono} or {@code Flux} returned
 * with no observation current starts its observation at subscription, under the one in
 * the subscriber's Reactor context.
 *
 * @see TracedAdvisor
 */
public class TracedMethodInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(TracedMethodInterceptor.class);

	private static final Object[] NO_ARGUMENTS = {};

	private static final DefaultTracedObservationConvention DEFAULT_CONVENTION = new DefaultTracedObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable TracedObservationConvention convention;

	private final Predicate<MethodInvocation> shouldSkip;

	private final @Nullable TracedSpanStarter spanStarter;

	private final ConcurrentMap<Method, TracedMethod> tracedMethods = new ConcurrentHashMap<>();

	private final ConcurrentMap<MethodClassKey, TracedMethod> inheritedMethods = new ConcurrentHashMap<>();

	private final InstrumentationFailureLog failures = new InstrumentationFailureLog(logger);

	private @Nullable UnaryOperator<String> agentInputCapture;

	public TracedMethodInterceptor(ObservationRegistry registry) {
		this(registry, null);
	}

	public TracedMethodInterceptor(ObservationRegistry registry, @Nullable TracedObservationConvention convention) {
		this(registry, convention, (invocation) -> false, null);
	}

	/**
	 * Creates the interceptor.
	 * @param registry where observations are made
	 * @param convention replaces the default span name and attributes, or {@code null}
	 * @param shouldSkip calls for which no observation is made
	 * @param spanStarter starts spans ahead of their observation so that calls the
	 * sampler drops skip it, or {@code null} to observe every call
	 */
	public TracedMethodInterceptor(ObservationRegistry registry, @Nullable TracedObservationConvention convention,
			Predicate<MethodInvocation> shouldSkip, @Nullable TracedSpanStarter spanStarter) {
		this.registry = registry;
		this.convention = convention;
		this.shouldSkip = shouldSkip;
		this.spanStarter = spanStarter;
	}

	/**
	 * Records the input of agent runs ({@code agent.input}, their first text argument)
	 * through the given capture, which redacts and truncates it; without one, no input is
	 * recorded.
	 * @param agentInputCapture turns the input into what may be recorded
	 */
	public void setAgentInputCapture(@Nullable UnaryOperator<String> agentInputCapture) {
		this.agentInputCapture = agentInputCapture;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (this.registry.isNoop() || this.shouldSkip.test(invocation)) {
			return invocation.proceed();
		}
		TracedMethod method = tracedMethod(invocation);
		if (method == null) {
			return invocation.proceed();
		}
		if (method.getResultKind() == TracedMethod.ResultKind.REACTIVE
				&& this.registry.getCurrentObservation() == null) {
			return proceedObservedOnSubscription(invocation, method);
		}
		Observation observation = create(method, arguments(invocation, method));
		if (observation == null || observation.isNoop()) {
			return invocation.proceed();
		}
		StartedSpan span = startSpan(method);
		if (span != null && !span.isRecording() && method.getAgentName() == null
				&& method.getResultKind() == TracedMethod.ResultKind.SYNCHRONOUS) {
			return proceedUnobserved(invocation, span);
		}
		TracedCall context = (TracedCall) observation.getContext();
		context.setStartedSpan(span);
		recordAgentInput(context, invocation.getArguments());
		Observation.Scope enclosing = this.registry.getCurrentObservationScope();
		if (!start(observation, context, enclosing)) {
			return invocation.proceed();
		}
		Observation.Scope scope = openScope(observation, context, enclosing);
		if (scope == null) {
			return invocation.proceed();
		}
		ObservationCompletion completion = null;
		try {
			Object result = invocation.proceed();
			if (method.getAgentName() != null && method.getResultKind() == TracedMethod.ResultKind.SYNCHRONOUS) {
				context.addAgentOutput(result);
			}
			if (result != null && method.getResultKind() != TracedMethod.ResultKind.SYNCHRONOUS) {
				completion = new ObservationCompletion(observation, context, this.failures);
				result = completeLater(result, method.getResultKind(), completion);
			}
			return result;
		}
		catch (Throwable error) {
			recordError(observation, error);
			throw error;
		}
		finally {
			// Stopped before its scope is closed (Observation#observe does the reverse):
			// with tracing, Spring Boot wraps meter handlers so that they stop with the
			// span current, for exemplars, and would otherwise make it current again.
			if (completion == null) {
				stop(observation, context);
			}
			closeScope(scope, context, enclosing);
		}
	}

	/**
	 * A {@code Mono} or {@code Flux} returned with no observation current on the calling
	 * thread, as in a WebFlux controller under Boot's default
	 * {@code spring.reactor.context-propagation=limited}: the caller's observation, if
	 * any, is in the Reactor context, known only at subscription. The method runs first
	 * (it assembles the publisher), and the observation starts when the publisher is
	 * subscribed, as a child of the observation the subscriber's context holds.
	 */
	private @Nullable Object proceedObservedOnSubscription(MethodInvocation invocation, TracedMethod method)
			throws Throwable {
		Object[] arguments = arguments(invocation, method);
		Object input = (method.getAgentInputIndex() >= 0) ? invocation.getArguments()[method.getAgentInputIndex()]
				: null;
		Object result = invocation.proceed();
		if (result == null) {
			return null;
		}
		try {
			return ReactiveResults.observeOnSubscription(result,
					(parent) -> startOnSubscription(method, arguments, input, parent));
		}
		catch (RuntimeException ex) {
			this.failures.log("observing the result of " + invocation.getMethod(), ex);
			return result;
		}
	}

	private @Nullable ObservationCompletion startOnSubscription(TracedMethod method, Object[] arguments,
			@Nullable Object input, @Nullable Observation parent) {
		Observation observation = create(method, arguments);
		if (observation == null || observation.isNoop()) {
			return null;
		}
		TracedCall context = (TracedCall) observation.getContext();
		if (input != null) {
			recordAgentInput(context, input);
		}
		observation.parentObservation(parent);
		if (!start(observation, context, this.registry.getCurrentObservationScope())) {
			return null;
		}
		return new ObservationCompletion(observation, context, this.failures);
	}

	private static Object completeLater(Object result, TracedMethod.ResultKind kind, ObservationCompletion completion) {
		if (kind == TracedMethod.ResultKind.COMPLETION_STAGE) {
			((CompletionStage<?>) result).whenComplete((value, error) -> {
				completion.output(value);
				completion.complete(error);
			});
			return result;
		}
		return ReactiveResults.observe(result, completion);
	}

	/**
	 * A call whose span the sampler dropped: no observation, but the dropped span is
	 * current for the call, so that the spans it starts are dropped with it.
	 */
	private @Nullable Object proceedUnobserved(MethodInvocation invocation, StartedSpan span) throws Throwable {
		TracedSpanStarter.SpanScope scope;
		try {
			scope = span.makeCurrent();
		}
		catch (RuntimeException ex) {
			this.failures.log("making a span current", ex);
			return invocation.proceed();
		}
		try {
			return invocation.proceed();
		}
		finally {
			try {
				scope.close();
			}
			catch (RuntimeException ex) {
				this.failures.log("closing a span scope", ex);
			}
		}
	}

	private @Nullable TracedMethod tracedMethod(MethodInvocation invocation) {
		try {
			return getTracedMethod(invocation);
		}
		catch (RuntimeException ex) {
			this.failures.log("reading the @Traced metadata of " + invocation.getMethod(), ex);
			return null;
		}
	}

	private @Nullable StartedSpan startSpan(TracedMethod method) {
		if (this.spanStarter == null) {
			return null;
		}
		try {
			return this.spanStarter.start(method);
		}
		catch (RuntimeException ex) {
			this.failures.log("starting the span of " + method.getSpanName(), ex);
			return null;
		}
	}

	private @Nullable Observation create(TracedMethod method, Object[] arguments) {
		try {
			TracedCall context = new TracedCall(method, arguments);
			return Observation.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry);
		}
		catch (RuntimeException ex) {
			this.failures.log("creating the observation of " + method.getSpanName(), ex);
			return null;
		}
	}

	private void recordAgentInput(TracedCall context, Object[] arguments) {
		int index = context.getTracedMethod().getAgentInputIndex();
		if (index >= 0 && this.agentInputCapture != null) {
			recordAgentInput(context, arguments[index]);
		}
	}

	private void recordAgentInput(TracedCall context, @Nullable Object input) {
		UnaryOperator<String> capture = this.agentInputCapture;
		if (capture == null || input == null) {
			return;
		}
		try {
			context.setAgentInput(capture.apply(input.toString()));
		}
		catch (RuntimeException ex) {
			this.failures.log("recording the input of " + context.getTracedMethod().getSpanName(), ex);
		}
	}

	private static Object[] arguments(MethodInvocation invocation, TracedMethod method) {
		return method.hasParameterAttributes() ? invocation.getArguments() : NO_ARGUMENTS;
	}

	/**
	 * Starts the observation. A handler that fails in {@code onStart} leaves the handlers
	 * before it started: the observation is stopped again, so that none of them keeps a
	 * span open or a scope current, and the call goes on unobserved.
	 */
	private boolean start(Observation observation, TracedCall context,
			Observation.@Nullable Scope enclosing) {
		try {
			observation.start();
			return true;
		}
		catch (RuntimeException ex) {
			this.failures.log("starting the observation of " + context.getTracedMethod().getSpanName(), ex);
			stop(observation, context);
			ObservationLeftovers.endSpan(context);
			ObservationLeftovers.restoreScope(this.registry, enclosing);
			return false;
		}
	}

	private void stop(Observation observation, TracedCall context) {
		try {
			observation.stop();
		}
		catch (RuntimeException ex) {
			this.failures.log("stopping an observation", ex);
			ObservationLeftovers.endSpan(context);
		}
	}

	/**
	 * Opens the observation's scope. Micrometer makes the observation current before it
	 * tells the handlers, so a handler failing in {@code onScopeOpened} would leave it
	 * current on this thread, and the spans of the handlers before it current too: the
	 * half-opened scope is closed, what was current before is restored, and the
	 * observation stopped.
	 */
	private Observation.@Nullable Scope openScope(Observation observation, TracedCall context,
			Observation.@Nullable Scope enclosing) {
		try {
			return observation.openScope();
		}
		catch (RuntimeException ex) {
			this.failures.log("opening an observation scope", ex);
			Observation.Scope opened = this.registry.getCurrentObservationScope();
			if (opened != null && opened != enclosing && opened.getCurrentObservation() == observation) {
				closeScope(opened, context, enclosing);
			}
			stop(observation, context);
			return null;
		}
	}

	/**
	 * Closes the observation's scope. A handler failing in {@code onScopeClosed} stops
	 * Micrometer before it restores the enclosing scope and before the tracing handler
	 * closes the span's: both are restored here.
	 */
	private void closeScope(Observation.Scope scope, TracedCall context,
			Observation.@Nullable Scope enclosing) {
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			this.failures.log("closing an observation scope", ex);
			ObservationLeftovers.closeSpanScope(context);
			ObservationLeftovers.restoreScope(this.registry, enclosing);
		}
	}

	private void recordError(Observation observation, Throwable error) {
		try {
			observation.error(error);
		}
		catch (RuntimeException ex) {
			this.failures.log("recording an error", ex);
		}
	}

	/**
	 * Returns the metadata of the called method, worked out on the first call. Which
	 * annotations apply depends on the target class: a type-level {@code @Traced} covers
	 * the methods a class inherits, and a method declared by an interface (a JDK proxy) or
	 * a superclass may have several implementations or subclasses, each with its own
	 * annotations. So it is cached per method and target class, except in the common case
	 * of a method declared by the target class itself, which the method alone identifies:
	 * that costs one lookup, without a key to create.
	 */
	private TracedMethod getTracedMethod(MethodInvocation invocation) {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		if (target != null && target.getClass() == method.getDeclaringClass()) {
			TracedMethod tracedMethod = this.tracedMethods.get(method);
			return (tracedMethod != null) ? tracedMethod
					: this.tracedMethods.computeIfAbsent(method,
							(declared) -> TracedMethod.of(declared, declared.getDeclaringClass()));
		}
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		MethodClassKey key = new MethodClassKey(method, targetClass);
		TracedMethod tracedMethod = this.inheritedMethods.get(key);
		return (tracedMethod != null) ? tracedMethod
				: this.inheritedMethods.computeIfAbsent(key, (absent) -> TracedMethod.of(method, targetClass));
	}

}
