package io.github.agentobservability.ai;

import io.github.agentobservability.ai.SemconvRegistry.Level;
import io.github.agentobservability.ai.SemconvRegistry.Requirement;
import io.github.agentobservability.ai.SemconvRegistry.SpanDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copied semconv registry reads as the YAML says: types, enums, deprecations and the
 * span definitions with their groups and references resolved.
 */
class SemconvRegistryTests {

	private static final SemconvRegistry registry = SemconvRegistry.load();

	@Test
	void attributesHaveTheTypesOfTheRegistry() {
		assertThat(registry.attribute("gen_ai.request.stream").type()).isEqualTo("boolean");
		assertThat(registry.attribute("gen_ai.usage.input_tokens").type()).isEqualTo("int");
		assertThat(registry.attribute("gen_ai.request.temperature").type()).isEqualTo("double");
		assertThat(registry.attribute("gen_ai.response.finish_reasons").type()).isEqualTo("string[]");
		assertThat(registry.attribute("gen_ai.input.messages").type()).isEqualTo("any");
		assertThat(registry.attribute("gen_ai.request.model").stability()).isEqualTo("development");
	}

	@Test
	void anEnumIsAStringWithItsMembers() {
		assertThat(registry.attribute("gen_ai.provider.name").type()).isEqualTo("string");
		assertThat(registry.attribute("gen_ai.provider.name").members()).contains("openai", "anthropic");
		assertThat(registry.operations()).contains("chat", "text_completion", "embeddings", "execute_tool",
				"invoke_agent", "create_agent", "retrieval", "generate_content")
			.doesNotContain("framework");
	}

	@Test
	void serverAndErrorAttributesComeFromTheUpstreamRegistry() {
		assertThat(registry.attribute("server.address").type()).isEqualTo("string");
		assertThat(registry.attribute("server.address").stability()).isEqualTo("stable");
		assertThat(registry.attribute("server.port").type()).isEqualTo("int");
		assertThat(registry.attribute("error.type").type()).isEqualTo("string");
		assertThat(registry.namespaces()).containsExactlyInAnyOrder("gen_ai", "openai", "server", "error");
	}

	@Test
	void onlyAttributesTheGenAiRegistryDoesNotDefineAgainAreDeprecated() {
		assertThat(registry.deprecation("gen_ai.system")).isEqualTo("replaced by gen_ai.provider.name");
		assertThat(registry.deprecation("gen_ai.usage.prompt_tokens")).isEqualTo("replaced by gen_ai.usage.input_tokens");
		assertThat(registry.deprecation("gen_ai.openai.request.seed")).isEqualTo("replaced by gen_ai.request.seed");
		assertThat(registry.deprecation("gen_ai.request.model")).isNull();
		assertThat(registry.deprecation("gen_ai.provider.name")).isNull();
		assertThat(registry.attribute("gen_ai.system")).isNull();
	}

	@Test
	void enumValuesRenamedInADeprecatedAttributeAreRenamedValuesOfItsSuccessor() {
		assertThat(registry.renamedValue("gen_ai.provider.name", "vertex_ai")).isEqualTo("gcp.vertex_ai");
		assertThat(registry.renamedValue("gen_ai.provider.name", "gemini")).isEqualTo("gcp.gemini");
		assertThat(registry.renamedValue("gen_ai.provider.name", "az.ai.openai")).isEqualTo("azure.ai.openai");
		assertThat(registry.renamedValue("gen_ai.provider.name", "openai")).isNull();
		// gen_ai.system's xai is x_ai in gen_ai.provider.name, but the registry does not say it was renamed.
		assertThat(registry.renamedValue("gen_ai.provider.name", "xai")).isNull();
		assertThat(registry.renamedValue("gen_ai.provider.name", "local")).isNull();
		assertThat(registry.renamedValue("gen_ai.operation.name", "chat")).isNull();
	}

	@Test
	void aTemplateAttributeCoversTheKeysItPrefixes() {
		assertThat(registry.attribute("gen_ai.prompt.variable.user_name").key()).isEqualTo("gen_ai.prompt.variable");
		assertThat(registry.attribute("gen_ai.prompt.variable.user_name").type()).isEqualTo("template[string]");
		assertThat(registry.attribute("gen_ai.prompt.unknown")).isNull();
	}

	@Test
	void theInferenceSpanIsAClientSpanWithItsGroupsAndReferencesResolved() {
		SpanDefinition inference = registry.span("gen_ai.inference.client");
		assertThat(inference.kind()).isEqualTo("CLIENT");
		assertThat(inference.namePattern()).isEqualTo("{gen_ai.operation.name} {gen_ai.request.model}");
		assertThat(inference.attributes().get("gen_ai.operation.name")).isEqualTo(new Requirement(Level.REQUIRED, null));
		assertThat(inference.attributes().get("gen_ai.provider.name")).isEqualTo(new Requirement(Level.REQUIRED, null));
		assertThat(inference.attributes().get("server.address")).isEqualTo(new Requirement(Level.RECOMMENDED, null));
		assertThat(inference.attributes().get("server.port"))
			.isEqualTo(new Requirement(Level.CONDITIONALLY_REQUIRED, "If `server.address` is set."));
		assertThat(inference.attributes().get("error.type").level()).isEqualTo(Level.CONDITIONALLY_REQUIRED);
		// A later reference without a level (sampling_relevant only) keeps the group's.
		assertThat(inference.attributes().get("gen_ai.request.model"))
			.isEqualTo(new Requirement(Level.CONDITIONALLY_REQUIRED, "If available."));
		assertThat(inference.attributes().get("gen_ai.response.time_to_first_chunk"))
			.isEqualTo(new Requirement(Level.RECOMMENDED, "If the request was a streaming request."));
		assertThat(inference.attributes().get("gen_ai.input.messages").level()).isEqualTo(Level.OPT_IN);
	}

	@Test
	void anAgentRunIsAClientOrAnInternalSpanAndOnlyTheClientOneHasAServer() {
		SpanDefinition internal = registry.span("gen_ai.invoke_agent.internal");
		SpanDefinition client = registry.span("gen_ai.invoke_agent.client");
		assertThat(internal.kind()).isEqualTo("INTERNAL");
		assertThat(client.kind()).isEqualTo("CLIENT");
		assertThat(internal.namePattern()).isEqualTo("invoke_agent {gen_ai.agent.name}");
		assertThat(internal.attributes()).containsEntry("gen_ai.usage.input_tokens",
				new Requirement(Level.RECOMMENDED, null))
			.containsEntry("gen_ai.usage.output_tokens", new Requirement(Level.RECOMMENDED, null))
			.containsEntry("gen_ai.response.finish_reasons", new Requirement(Level.RECOMMENDED, null))
			.doesNotContainKey("server.address");
		assertThat(client.attributes()).containsKey("server.address")
			.containsEntry("gen_ai.provider.name", new Requirement(Level.REQUIRED, null));
	}

	@Test
	void aToolExecutionIsAnInternalSpanThatNamesTheTool() {
		SpanDefinition tool = registry.span("gen_ai.execute_tool.internal");
		assertThat(tool.kind()).isEqualTo("INTERNAL");
		assertThat(tool.namePattern()).isEqualTo("execute_tool {gen_ai.tool.name}");
		assertThat(tool.attributes().get("gen_ai.tool.name")).isEqualTo(new Requirement(Level.REQUIRED, null));
		assertThat(tool.attributes().get("gen_ai.tool.call.id"))
			.isEqualTo(new Requirement(Level.RECOMMENDED, "If available."));
	}

}
