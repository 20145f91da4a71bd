package io.github.agentobservability.tracing;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

import io.github.agentobservability.annotation.Traced;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;

/**
 * Traces {@link Traced} methods as Micrometer observations, so that their spans nest with
 * the observations of Spring MVC, Spring AI and other traced methods.
 * <p>
 * The per-method work (name, attributes, parameter bindings, result kind) is done once
 * and cached; a call costs one observation. The application's exception is rethrown
 * untouched; failures of the instrumentation are logged and never reach the caller.
 * {@link CompletionStage}, {@code Mono} and {@code Flux} results end the observation when
 * they complete, while the scope is always closed on the calling thread.
 */
@Aspect
public class TracedAspect {

	private static final Log logger = LogFactory.getLog(TracedAspect.class);

	private static final Object[] NO_ARGUMENTS = {};

	private static final DefaultTracedObservationConvention DEFAULT_CONVENTION = new DefaultTracedObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable TracedObservationConvention convention;

	private final Predicate<ProceedingJoinPoint> shouldSkip;

	private final ConcurrentMap<Method, TracedMethod> tracedMethods = new ConcurrentHashMap<>();

	private final InstrumentationFailureLog failures = new InstrumentationFailureLog(logger);

	public TracedAspect(ObservationRegistry registry) {
		this(registry, null);
	}

	public TracedAspect(ObservationRegistry registry, @Nullable TracedObservationConvention convention) {
		this(registry, convention, (joinPoint) -> false);
	}

	/**
	 * Creates the aspect.
	 * @param registry where observations are made
	 * @param convention replaces the default span name and attributes, or {@code null}
	 * @param shouldSkip calls for which no observation is made
	 */
	public TracedAspect(ObservationRegistry registry, @Nullable TracedObservationConvention convention,
			Predicate<ProceedingJoinPoint> shouldSkip) {
		this.registry = registry;
		this.convention = convention;
		this.shouldSkip = shouldSkip;
	}

	/**
	 * One advice for methods and types alike: {@code @within} combined with a negated
	 * {@code @annotation} makes Spring AOP test the pointcut again on every call, which
	 * costs more than the whole observation. Which annotation applies is worked out once
	 * per method by {@link TracedMethod}.
	 * @param joinPoint the call
	 * @return the method's result
	 * @throws Throwable the method's exception, unchanged
	 */
	@Around("execution(@io.github.agentobservability.annotation.Traced * *(..)) || execution(* (@io.github.agentobservability.annotation.Traced *).*(..))")
	public @Nullable Object traced(ProceedingJoinPoint joinPoint) throws Throwable {
		return trace(joinPoint);
	}

	private @Nullable Object trace(ProceedingJoinPoint joinPoint) throws Throwable {
		if (this.registry.isNoop() || this.shouldSkip.test(joinPoint)) {
			return joinPoint.proceed();
		}
		ObservationCompletion completion = start(joinPoint);
		if (completion == null) {
			return joinPoint.proceed();
		}
		Observation observation = completion.getObservation();
		Observation.Scope scope = openScope(completion);
		if (scope == null) {
			return joinPoint.proceed();
		}
		boolean completesLater = false;
		try {
			Object result = joinPoint.proceed();
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

	private @Nullable ObservationCompletion start(ProceedingJoinPoint joinPoint) {
		try {
			TracedMethod method = getTracedMethod(joinPoint);
			TracedObservationContext context = new TracedObservationContext(method,
					method.hasParameterAttributes() ? joinPoint.getArgs() : NO_ARGUMENTS);
			Observation observation = Observation
				.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
				.start();
			return new ObservationCompletion(observation, context, this.failures);
		}
		catch (RuntimeException ex) {
			this.failures.log("starting the observation of " + joinPoint.getSignature(), ex);
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

	private TracedMethod getTracedMethod(ProceedingJoinPoint joinPoint) {
		Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
		TracedMethod tracedMethod = this.tracedMethods.get(method);
		if (tracedMethod == null) {
			Method specific = method.getDeclaringClass().isInterface()
					? AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(joinPoint.getTarget())) : method;
			tracedMethod = this.tracedMethods.computeIfAbsent(method, (key) -> TracedMethod.of(specific));
		}
		return tracedMethod;
	}

}
