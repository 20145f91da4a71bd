package io.github.agentobservability.tracing;

import io.github.agentobservability.annotation.Traced;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the {@link Traced} annotations of every bean as it is created, so that a
 * malformed attribute fails application startup, naming the method, instead of the
 * first call.
 */
public class TracedMethodValidator implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
		if (!AnnotationUtils.isCandidateClass(type, Traced.class)) {
			return bean;
		}
		boolean tracedType = AnnotatedElementUtils.hasAnnotation(type, Traced.class);
		try {
			ReflectionUtils.doWithMethods(type, TracedMethod::of,
					(method) -> !method.isBridge() && !method.getDeclaringClass().equals(Object.class)
							&& (tracedType || AnnotatedElementUtils.hasAnnotation(method, Traced.class)));
		}
		catch (IllegalStateException ex) {
			throw new BeanCreationException(beanName, ex.getMessage(), ex);
		}
		return bean;
	}

}
