package io.github.agentobservability.ai;

import java.util.List;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link GenAiConformance} reports, on spans built by hand: each rule once, and a
 * conforming span of each kind the starter produces with nothing to report, so that the
 * end-to-end conformance test fails for the spans and not for the checker.
 */
class GenAiConformanceRulesTests {

	private static final SemconvRegistry registry = SemconvRegistry.load();

	private final GenAiConformance conformance = new GenAiConformance(registry);

	@Test
	void everyOperationOfTheRegistryHasASpanDefinitionAndEveryDefinitionAnOperation() {
		assertThat(registry.operations())
			.allSatisfy((operation) -> assertThat(this.conformance.definitions(operation)).isNotEmpty());
		assertThat(registry.spans()).allSatisfy((definition) -> assertThat(registry.operations())
			.anyMatch((operation) -> this.conformance.definitions(operation).contains(definition)));
	}

	@Test
	void aConformingChatSpanHasNothingToReport() {
		assertThat(this.conformance.check(chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET))).isEmpty();
	}

	@Test
	void aConformingStreamToolAndAgentSpanHaveNothingToReport() {
		Span stream = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.addAttributes(attribute("gen_ai.request.stream", true))
			.addAttributes(attribute("gen_ai.response.time_to_first_chunk", 0.12))
			.addAttributes(attribute("gen_ai.response.cancelled", false))
			.build();
		Span tool = span("execute_tool currentWeather", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "currentWeather", "gen_ai.tool.call.id",
				"call_1", "gen_ai.tool.type", "function", "spring.ai.kind", "tool_call");
		Span agent = span("invoke_agent support", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "support", "gen_ai.usage.input_tokens", 10L,
				"gen_ai.usage.output_tokens", 2L, "gen_ai.response.finish_reasons", List.of("stop"),
				"code.function.name", "SupportAgent.ask", "status", "success");
		assertThat(this.conformance.check(List.of(stream, tool, agent))).isEmpty();
	}

	@Test
	void frameworkIsNotAnOperation() {
		Span chatClient = span("spring_ai chat_client", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "framework", "spring.ai.kind", "chat_client");
		assertThat(this.conformance.check(chatClient)).containsExactly(
				"span 'spring_ai chat_client': gen_ai.operation.name 'framework' is not an operation of the registry");
	}

	@Test
	void aModelCallIsAClientSpan() {
		assertThat(this.conformance.check(chat(SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET)))
			.containsExactly("span 'chat gpt-4o-mini': kind INTERNAL, expected CLIENT");
	}

	@Test
	void anAgentRunMayBeInternalOrClientAndAsAClientNeedsItsServer() {
		Span client = span("invoke_agent support", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "support", "gen_ai.usage.input_tokens", 10L,
				"gen_ai.usage.output_tokens", 2L, "gen_ai.response.finish_reasons", List.of("stop"));
		assertThat(this.conformance.check(client)).containsExactly(
				"span 'invoke_agent support': recommended attribute server.address missing (gen_ai.invoke_agent.client)",
				"span 'invoke_agent support': required attribute gen_ai.provider.name missing (gen_ai.invoke_agent.client)",
				"span 'invoke_agent support': conditionally required attribute server.port missing (it goes with server.address)");
	}

	@Test
	void aRetrievalMayRunInProcessWithoutAServer() {
		Span inProcess = span("retrieval corpus", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "retrieval", "gen_ai.data_source.id", "corpus", "gen_ai.retrieval.top_k", 3L);
		Span remote = inProcess.toBuilder().addAttributes(attribute("server.address", "search.example.com")).build();
		assertThat(this.conformance.check(inProcess)).isEmpty();
		assertThat(this.conformance.check(remote)).containsExactly(
				"span 'retrieval corpus': conditionally required attribute server.port missing (it goes with server.address)");
	}

	@Test
	void aModelCallStillNeedsItsServer() {
		Span chat = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET);
		Span withoutServer = chat.toBuilder()
			.clearAttributes()
			.addAllAttributes(chat.getAttributesList()
				.stream()
				.filter((attribute) -> !attribute.getKey().startsWith("server."))
				.toList())
			.build();
		assertThat(this.conformance.check(withoutServer)).containsExactly(
				"span 'chat gpt-4o-mini': recommended attribute server.address missing (gen_ai.inference.client)",
				"span 'chat gpt-4o-mini': conditionally required attribute server.port missing (it goes with server.address)");
	}

	@Test
	void aProviderNameTheRegistryRenamedIsReportedAndACustomOneIsNot() {
		Span vertex = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.setAttributes(1, attribute("gen_ai.provider.name", "vertex_ai"))
			.build();
		Span custom = vertex.toBuilder().setAttributes(1, attribute("gen_ai.provider.name", "local")).build();
		assertThat(this.conformance.check(vertex)).containsExactly(
				"span 'chat gpt-4o-mini': gen_ai.provider.name \"vertex_ai\" was renamed to \"gcp.vertex_ai\"");
		assertThat(this.conformance.check(custom)).isEmpty();
	}

	@Test
	void theNameFollowsTheDefinitionAndLeavesOutWhatIsUnknown() {
		Span named = span("support", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET, "gen_ai.operation.name",
				"invoke_agent", "gen_ai.agent.name", "support", "gen_ai.usage.input_tokens", 10L,
				"gen_ai.usage.output_tokens", 2L, "gen_ai.response.finish_reasons", List.of("stop"));
		Span anonymous = named.toBuilder().setName("invoke_agent").removeAttributes(1).build();
		assertThat(this.conformance.check(named)).containsExactly(
				"span 'support': name should be 'invoke_agent support' (gen_ai.invoke_agent.internal)");
		assertThat(this.conformance.check(anonymous)).isEmpty();
	}

	@Test
	void anAgentRunReportsItsUsageAndFinishReasons() {
		Span agent = span("invoke_agent support", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "support");
		assertThat(this.conformance.check(agent)).containsExactly(
				"span 'invoke_agent support': recommended attribute gen_ai.usage.input_tokens missing (gen_ai.invoke_agent.internal)",
				"span 'invoke_agent support': recommended attribute gen_ai.usage.output_tokens missing (gen_ai.invoke_agent.internal)",
				"span 'invoke_agent support': recommended attribute gen_ai.response.finish_reasons missing (gen_ai.invoke_agent.internal)");
	}

	@Test
	void aToolSpanNamesItsTool() {
		Span tool = span("execute_tool", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET,
				"gen_ai.operation.name", "execute_tool", "spring.ai.tool.definition.name", "currentWeather");
		assertThat(this.conformance.check(tool)).containsExactly(
				"span 'execute_tool': required attribute gen_ai.tool.name missing (gen_ai.execute_tool.internal)");
	}

	@Test
	void attributesHaveTheTypeOfTheRegistry() {
		Span chat = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.addAttributes(attribute("gen_ai.request.stream", "true"))
			.addAttributes(attribute("gen_ai.request.temperature", 1L))
			.addAttributes(attribute("gen_ai.request.stop_sequences", List.of()))
			.build();
		assertThat(this.conformance.check(chat)).containsExactly(
				"span 'chat gpt-4o-mini': gen_ai.request.stream is string \"true\", the registry says boolean",
				"span 'chat gpt-4o-mini': gen_ai.request.temperature is int 1, the registry says double");
	}

	@Test
	void anAttributeOutsideTheRegistryIsReportedUnlessItIsTheStartersOwn() {
		Span chat = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.addAttributes(attribute("gen_ai.usage.cost.amount", 0.0001))
			.addAttributes(attribute("gen_ai.usage.cost.currency", "USD"))
			.addAttributes(attribute("gen_ai.usage.total_tokens", 12L))
			.addAttributes(attribute("gen_ai.usage.made_up", 1L))
			.addAttributes(attribute("error.message", "tutorial"))
			.addAttributes(attribute("llm.tokens.total", 12L))
			.addAttributes(attribute("spring.ai.model.request.tool.names", "[]"))
			.build();
		assertThat(this.conformance.check(chat)).containsExactly(
				"span 'chat gpt-4o-mini': gen_ai.usage.made_up is not in the registry nor one of the starter's extensions");
	}

	@Test
	void aDeprecatedAttributeIsReportedOnAnySpan() {
		Span http = span("POST", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_OK, "gen_ai.system", "openai",
				"method", "POST");
		assertThat(this.conformance.check(http))
			.containsExactly("span 'POST': deprecated attribute gen_ai.system (replaced by gen_ai.provider.name)");
	}

	@Test
	void statusOkIsReportedOnGenAiAndFrameworkSpansOnly() {
		Span advisor = span("call", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_OK, "spring.ai.kind", "advisor");
		Span http = span("POST", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_OK, "method", "POST");
		assertThat(this.conformance.check(List.of(advisor, http, chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_OK))))
			.containsExactly("span 'call': status OK, instrumentation leaves it UNSET on success",
					"span 'chat gpt-4o-mini': status OK, instrumentation leaves it UNSET on success");
	}

	@Test
	void aFailedCallNeedsAnErrorTypeButNoResponse() {
		Span failed = span("chat gpt-4o-mini", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_ERROR,
				"gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o-mini",
				"server.address", "api.openai.com", "server.port", 443L);
		assertThat(this.conformance.check(failed))
			.containsExactly("span 'chat gpt-4o-mini': status ERROR without error.type");
		Span typed = failed.toBuilder().addAttributes(attribute("error.type", "429")).build();
		assertThat(this.conformance.check(typed)).isEmpty();
	}

	@Test
	void anErrorTypeOnASuccessfulCallIsReported() {
		Span chat = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.addAttributes(attribute("error.type", "timeout"))
			.build();
		assertThat(this.conformance.check(chat))
			.containsExactly("span 'chat gpt-4o-mini': error.type \"timeout\" but status UNSET");
	}

	@Test
	void aStreamedCallSaysItStreamed() {
		Span stream = chat(SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET).toBuilder()
			.addAttributes(attribute("gen_ai.response.time_to_first_chunk", 0.12))
			.build();
		assertThat(this.conformance.check(stream)).containsExactly(
				"span 'chat gpt-4o-mini': conditionally required attribute gen_ai.request.stream missing "
						+ "(the span measured gen_ai.response.time_to_first_chunk, so the request streamed)");
	}

	private static Span chat(SpanKind kind, StatusCode status) {
		return span("chat gpt-4o-mini", kind, status, "gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", "gpt-4o-mini", "server.address", "api.openai.com", "server.port", 443L,
				"gen_ai.response.id", "chatcmpl-1", "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
				"gen_ai.response.finish_reasons", List.of("stop"), "gen_ai.usage.input_tokens", 10L,
				"gen_ai.usage.output_tokens", 2L);
	}

	private static Span span(String name, SpanKind kind, StatusCode status, Object... keysAndValues) {
		Span.Builder span = Span.newBuilder()
			.setName(name)
			.setKind(kind)
			.setStatus(Status.newBuilder().setCode(status));
		for (int i = 0; i < keysAndValues.length; i += 2) {
			span.addAttributes(attribute((String) keysAndValues[i], keysAndValues[i + 1]));
		}
		return span.build();
	}

	private static KeyValue attribute(String key, Object value) {
		return KeyValue.newBuilder().setKey(key).setValue(value(value)).build();
	}

	private static AnyValue value(Object value) {
		AnyValue.Builder any = AnyValue.newBuilder();
		if (value instanceof String string) {
			return any.setStringValue(string).build();
		}
		if (value instanceof Boolean bool) {
			return any.setBoolValue(bool).build();
		}
		if (value instanceof Long number) {
			return any.setIntValue(number).build();
		}
		if (value instanceof Double number) {
			return any.setDoubleValue(number).build();
		}
		ArrayValue.Builder array = ArrayValue.newBuilder();
		((List<?>) value).forEach((element) -> array.addValues(value(element)));
		return any.setArrayValue(array).build();
	}

}
