package io.github.agentobservability.tracing.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import io.github.agentobservability.annotation.Traced;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the {@link Traced} annotations of every bean as it is created, so that a
 * malformed attribute fails application startup, naming the method, instead of the
 * first call.
 * <p>
 * It validates the methods that {@link TracedAdvisor}'s pointcut matches for the bean's
 * class, inherited ones included, as the interceptor will read them: a proxy can call
 * neither private nor static methods, so those are left out.
 */
public class TracedMethodValidator implements BeanPostProcessor {

	private final Pointcut pointcut = TracedAdvisor.pointcut();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
		ClassFilter classFilter = this.pointcut.getClassFilter();
		if (!classFilter.matches(type)) {
			return bean;
		}
		MethodMatcher methodMatcher = this.pointcut.getMethodMatcher();
		try {
			ReflectionUtils.doWithMethods(type, (method) -> TracedMethod.of(method, type),
					(method) -> isProxiable(method) && methodMatcher.matches(method, type));
		}
		catch (IllegalStateException ex) {
			throw new BeanCreationException(beanName, ex.getMessage(), ex);
		}
		return bean;
	}

	private static boolean isProxiable(Method method) {
		int modifiers = method.getModifiers();
		return !method.isBridge() && !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers);
	}

}
