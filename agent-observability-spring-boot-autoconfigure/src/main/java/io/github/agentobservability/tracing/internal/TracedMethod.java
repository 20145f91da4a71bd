package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.TracedObservationDocumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * What the aspect needs to know about one traced method, worked out once: the span name,
 * the constant attributes, the parameter bindings and how the result completes.
 * <p>
 * Building it is also the validation of the annotation, so the same code fails
 * application startup (through {@link TracedMethodValidator}) and serves every call.
 */
public final class TracedMethod {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			TracedMethod.class.getClassLoader());

	private final String spanName;

	private final @Nullable String agentName;

	private final Map<Outcome, KeyValues> lowCardinalityKeyValues = new EnumMap<>(Outcome.class);

	private final KeyValues constantAttributes;

	private final ParameterAttribute[] parameterAttributes;

	private final ResultKind resultKind;

	private final Traced.Kind kind;

	private final int agentInputIndex;

	private TracedMethod(String spanName, @Nullable String agentName, String functionName,
			KeyValues constantAttributes, ParameterAttribute[] parameterAttributes, ResultKind resultKind,
			Traced.Kind kind, int agentInputIndex) {
		this.spanName = spanName;
		this.agentName = agentName;
		KeyValues identity = KeyValues
			.of(TracedObservationDocumentation.LowCardinalityKeyNames.CODE_FUNCTION_NAME.withValue(functionName));
		if (agentName != null) {
			identity = identity.and(TracedObservationDocumentation.OPERATION_INVOKE_AGENT,
					TracedObservationDocumentation.LowCardinalityKeyNames.AGENT_NAME.withValue(agentName));
		}
		for (Outcome outcome : Outcome.values()) {
			this.lowCardinalityKeyValues.put(outcome,
					identity.and(TracedObservationDocumentation.LowCardinalityKeyNames.STATUS.withValue(outcome.value())));
		}
		this.constantAttributes = constantAttributes;
		this.parameterAttributes = parameterAttributes;
		this.resultKind = resultKind;
		this.kind = kind;
		this.agentInputIndex = agentInputIndex;
	}

	/**
	 * Reads the {@link Traced} annotations that apply to a method called on an instance of
	 * a class: those of the method and of the interface or superclass methods it
	 * overrides, and the class's own type-level one, which also covers the methods it
	 * inherits. {@link SpanAttribute} parameters are found the same way, so that an
	 * implementation need not repeat the annotations of its interface.
	 * @param method the called method, possibly declared by an interface or a superclass
	 * of the target class
	 * @param targetClass the class of the object the method is called on
	 * @return the method's metadata
	 * @throws IllegalStateException if an attribute is not a {@code key=value} pair or a
	 * parameter attribute has no key
	 */
	public static TracedMethod of(Method method, Class<?> targetClass) {
		Class<?> type = ClassUtils.getUserClass(targetClass);
		Method specificMethod = AopUtils.getMostSpecificMethod(method, type);
		Traced onMethod = AnnotatedElementUtils.findMergedAnnotation(specificMethod, Traced.class);
		Traced onType = AnnotatedElementUtils.findMergedAnnotation(type, Traced.class);
		Map<String, String> attributes = new LinkedHashMap<>();
		if (onType != null) {
			parseAttributes(type, specificMethod, onType.attributes(), attributes);
		}
		if (onMethod != null) {
			parseAttributes(type, specificMethod, onMethod.attributes(), attributes);
		}
		List<KeyValue> constants = new ArrayList<>(attributes.size());
		attributes.forEach((key, value) -> constants.add(KeyValue.of(key, value)));
		List<ParameterAttribute> parameterAttributes = new ArrayList<>();
		MethodParameter[] parameters = new AnnotatedMethod(specificMethod).getMethodParameters();
		for (int i = 0; i < parameters.length; i++) {
			SpanAttribute attribute = parameters[i].getParameterAnnotation(SpanAttribute.class);
			if (attribute != null) {
				parameterAttributes.add(
						ParameterAttribute.of(i, parameterKey(type, specificMethod, i, attribute), parameters[i]));
			}
		}
		String agentName = agentName(onMethod, onType);
		String spanName = (agentName != null) ? "invoke_agent " + agentName
				: spanName(specificMethod, onMethod, onType);
		return new TracedMethod(spanName, agentName, functionName(type, specificMethod), KeyValues.of(constants),
				parameterAttributes.toArray(ParameterAttribute[]::new), ResultKind.of(specificMethod.getReturnType()),
				kind(onMethod, onType), (agentName != null) ? firstTextParameter(specificMethod) : -1);
	}

	private static String spanName(Method method, @Nullable Traced onMethod, @Nullable Traced onType) {
		if (onMethod != null && StringUtils.hasText(onMethod.value())) {
			return onMethod.value();
		}
		if (onMethod == null && onType != null && StringUtils.hasText(onType.value())) {
			return onType.value() + "." + method.getName();
		}
		return method.getName();
	}

	private static int firstTextParameter(Method method) {
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (CharSequence.class.isAssignableFrom(types[i])) {
				return i;
			}
		}
		return -1;
	}

	private static Traced.Kind kind(@Nullable Traced onMethod, @Nullable Traced onType) {
		Traced source = (onMethod != null) ? onMethod : onType;
		return (source != null) ? source.kind() : Traced.Kind.INTERNAL;
	}

	private static @Nullable String agentName(@Nullable Traced onMethod, @Nullable Traced onType) {
		Traced source = (onMethod != null) ? onMethod : onType;
		return (source != null && StringUtils.hasText(source.agent())) ? source.agent().trim() : null;
	}

	private static String functionName(Class<?> type, Method method) {
		return type.getName() + "." + method.getName();
	}

	private static void parseAttributes(Class<?> type, Method method, String[] pairs, Map<String, String> attributes) {
		for (String pair : pairs) {
			int separator = pair.indexOf('=');
			String key = (separator > 0) ? pair.substring(0, separator).trim() : "";
			if (key.isEmpty()) {
				throw new IllegalStateException("Invalid @Traced attribute '" + pair + "' on "
						+ describe(type, method) + ": expected 'key=value' with a non-empty key");
			}
			attributes.put(key, pair.substring(separator + 1).trim());
		}
	}

	private static String parameterKey(Class<?> type, Method method, int index, SpanAttribute attribute) {
		if (StringUtils.hasText(attribute.value())) {
			return attribute.value();
		}
		Parameter parameter = method.getParameters()[index];
		if (!parameter.isNamePresent()) {
			throw new IllegalStateException("@SpanAttribute on parameter " + parameter.getName() + " of "
					+ describe(type, method) + " needs a key: the class was compiled without -parameters");
		}
		return parameter.getName();
	}

	private static String describe(Class<?> type, Method method) {
		StringBuilder description = new StringBuilder(type.getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return description.append(')').toString();
	}

	/**
	 * Name of the span.
	 * @return the span name
	 */
	public String getSpanName() {
		return this.spanName;
	}

	/**
	 * Name of the agent whose run this method is, if it is an agent entry point.
	 * @return the agent name or {@code null}
	 */
	public @Nullable String getAgentName() {
		return this.agentName;
	}

	public KeyValues getLowCardinalityKeyValues(TracedCall context) {
		Outcome outcome = Outcome.of(context.isCancelled(),
				context.getError() != null || context.getMarkedError() != null);
		return this.lowCardinalityKeyValues.get(outcome);
	}

	/**
	 * Constant attributes followed by those copied from the arguments.
	 * @param arguments the call's arguments
	 * @return the span attributes of one call
	 */
	public KeyValues getAttributes(Object[] arguments) {
		if (this.parameterAttributes.length == 0) {
			return this.constantAttributes;
		}
		KeyValues attributes = this.constantAttributes;
		for (ParameterAttribute attribute : this.parameterAttributes) {
			Object argument = arguments[attribute.index()];
			if (argument != null) {
				attributes = attributes.and(attribute.key(), ParameterAttribute.toString(argument));
			}
		}
		return attributes;
	}

	boolean hasParameterAttributes() {
		return this.parameterAttributes.length > 0;
	}

	/**
	 * The parameters copied to attributes, for tracing handlers that write them typed.
	 * @return the parameter attributes
	 */
	ParameterAttribute[] getParameterAttributes() {
		return this.parameterAttributes;
	}

	/**
	 * The kind of the method's span.
	 * @return the span kind
	 */
	public Traced.Kind getKind() {
		return this.kind;
	}

	/**
	 * The argument that is an agent run's input, its first text parameter.
	 * @return the parameter's index, or -1 when the method is no agent entry point or
	 * takes no text
	 */
	int getAgentInputIndex() {
		return this.agentInputIndex;
	}

	ResultKind getResultKind() {
		return this.resultKind;
	}

	/**
	 * How the method's result tells that the work is done.
	 */
	enum ResultKind {

		/** The work is done when the method returns. */
		SYNCHRONOUS,

		/** The work is done when the returned stage completes. */
		COMPLETION_STAGE,

		/** The work is done when the returned {@code Mono} or {@code Flux} terminates. */
		REACTIVE;

		static ResultKind of(Class<?> returnType) {
			if (CompletionStage.class.isAssignableFrom(returnType)) {
				return COMPLETION_STAGE;
			}
			if (REACTOR_PRESENT && ReactiveResults.isReactive(returnType)) {
				return REACTIVE;
			}
			return SYNCHRONOUS;
		}

	}

}
