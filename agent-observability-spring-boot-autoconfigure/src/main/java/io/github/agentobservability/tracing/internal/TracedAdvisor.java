package io.github.agentobservability.tracing.internal;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import io.github.agentobservability.annotation.Traced;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.aop.support.annotation.AnnotationClassFilter;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@link TracedMethodInterceptor} to every method annotated with {@link Traced}
 * (on the method, or on an interface or superclass method it implements) and to every
 * method of a type annotated with it, including the methods it inherits, but not those of
 * {@code Object}: {@code toString}, {@code equals} and {@code hashCode} are called by
 * logging and collections, never units of work worth a span.
 * <p>
 * The pointcut matches on annotations and signatures only, so it is decided once per
 * method when the proxy is created, never per call: a method it leaves out costs nothing.
 * Being an advisor rather than an aspect, it needs no AspectJ at runtime: Spring Boot's
 * auto-proxy creator applies it either way.
 */
public class TracedAdvisor extends AbstractPointcutAdvisor {

	private final Pointcut pointcut = pointcut();

	private final MethodInterceptor interceptor;

	/**
	 * Creates an advisor for an interceptor.
	 * @param interceptor the interceptor
	 */
	public TracedAdvisor(TracedMethodInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	/**
	 * Creates an advisor whose interceptor is looked up on the first call. Advisors are
	 * created while bean post-processors are still being registered; creating the
	 * interceptor then would create the observation registry before Spring Boot can
	 * configure its handlers.
	 * @param interceptor supplies the interceptor
	 */
	public TracedAdvisor(Supplier<TracedMethodInterceptor> interceptor) {
		SingletonSupplier<TracedMethodInterceptor> lazy = SingletonSupplier.of(interceptor);
		this.interceptor = (invocation) -> lazy.obtain().invoke(invocation);
	}

	/**
	 * Creates the pointcut of traced methods, also used by {@link TracedMethodValidator}
	 * so that it validates exactly the methods that will be traced.
	 * @return a new pointcut
	 */
	static Pointcut pointcut() {
		return new ComposablePointcut(new AnnotationClassFilter(Traced.class, true), new NotObjectMethodMatcher())
			.union(new AnnotationMatchingPointcut(null, Traced.class, true));
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	/**
	 * Matches the methods of a traced type that are not, and do not override, methods of
	 * {@code Object}.
	 */
	private static final class NotObjectMethodMatcher extends StaticMethodMatcher {

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return ReflectionUtils.findMethod(Object.class, method.getName(), method.getParameterTypes()) == null;
		}

	}

}
