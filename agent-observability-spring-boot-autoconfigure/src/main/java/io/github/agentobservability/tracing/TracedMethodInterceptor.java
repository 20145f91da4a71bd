package io.github.agentobservability.tracing;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

import io.github.agentobservability.annotation.Traced;
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
 * observation. The application's exception is rethrown untouched; failures of the
 * instrumentation are logged and never reach the caller. {@link CompletionStage},
 * {@code Mono} and {@code Flux} results end the observation when they complete, while the
 * scope is always closed on the calling thread.
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

	private final ConcurrentMap<Method, TracedMethod> tracedMethods = new ConcurrentHashMap<>();

	private final ConcurrentMap<MethodClassKey, TracedMethod> interfaceMethods = new ConcurrentHashMap<>();

	private final InstrumentationFailureLog failures = new InstrumentationFailureLog(logger);

	public TracedMethodInterceptor(ObservationRegistry registry) {
		this(registry, null);
	}

	public TracedMethodInterceptor(ObservationRegistry registry, @Nullable TracedObservationConvention convention) {
		this(registry, convention, (invocation) -> false);
	}

	/**
	 * Creates the interceptor.
	 * @param registry where observations are made
	 * @param convention replaces the default span name and attributes, or {@code null}
	 * @param shouldSkip calls for which no observation is made
	 */
	public TracedMethodInterceptor(ObservationRegistry registry, @Nullable TracedObservationConvention convention,
			Predicate<MethodInvocation> shouldSkip) {
		this.registry = registry;
		this.convention = convention;
		this.shouldSkip = shouldSkip;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (this.registry.isNoop() || this.shouldSkip.test(invocation)) {
			return invocation.proceed();
		}
		ObservationCompletion completion = start(invocation);
		if (completion == null) {
			return invocation.proceed();
		}
		Observation observation = completion.getObservation();
		Observation.Scope scope = openScope(completion);
		if (scope == null) {
			return invocation.proceed();
		}
		boolean completesLater = false;
		try {
			Object result = invocation.proceed();
			if (result != null) {
				TracedMethod.ResultKind kind = ((TracedObservationContext) observation.getContext()).getTracedMethod()
					.getResultKind();
				if (kind == TracedMethod.ResultKind.COMPLETION_STAGE) {
					((CompletionStage<?>) result).whenComplete((value, error) -> completion.complete(error));
					completesLater = true;
				}
				else if (kind == TracedMethod.ResultKind.REACTIVE) {
					result = ReactiveResults.observe(result, completion);
					completesLater = true;
				}
			}
			return result;
		}
		catch (Throwable error) {
			recordError(observation, error);
			throw error;
		}
		finally {
			closeScope(scope);
			if (!completesLater) {
				completion.stop();
			}
		}
	}

	private @Nullable ObservationCompletion start(MethodInvocation invocation) {
		try {
			TracedMethod method = getTracedMethod(invocation);
			TracedObservationContext context = new TracedObservationContext(method,
					method.hasParameterAttributes() ? invocation.getArguments() : NO_ARGUMENTS);
			Observation observation = Observation
				.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
				.start();
			return new ObservationCompletion(observation, context, this.failures);
		}
		catch (RuntimeException ex) {
			this.failures.log("starting the observation of " + invocation.getMethod(), ex);
			return null;
		}
	}

	private Observation.@Nullable Scope openScope(ObservationCompletion completion) {
		try {
			return completion.getObservation().openScope();
		}
		catch (RuntimeException ex) {
			this.failures.log("opening an observation scope", ex);
			completion.stop();
			return null;
		}
	}

	private void closeScope(Observation.Scope scope) {
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			this.failures.log("closing an observation scope", ex);
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
	 * Returns the metadata of the called method, worked out on the first call. A method
	 * declared on an interface (a JDK proxy) may have several implementations, each with
	 * its own annotations, so it is cached per target class.
	 */
	private TracedMethod getTracedMethod(MethodInvocation invocation) {
		Method method = invocation.getMethod();
		if (!method.getDeclaringClass().isInterface()) {
			TracedMethod tracedMethod = this.tracedMethods.get(method);
			return (tracedMethod != null) ? tracedMethod
					: this.tracedMethods.computeIfAbsent(method, TracedMethod::of);
		}
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		return this.interfaceMethods.computeIfAbsent(new MethodClassKey(method, targetClass),
				(key) -> TracedMethod.of(AopUtils.getMostSpecificMethod(method, targetClass)));
	}

}
