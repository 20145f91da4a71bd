package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.ai.internal.ContentCapture;
import io.github.agentobservability.ai.internal.ContentTruncator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContentCapture}: Spring AI's messages in the shapes of the GenAI
 * conventions' JSON schemas, redacted and truncated inside the JSON.
 */
public class ContentCaptureTests {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ContentRedactor REDACTOR = ContentRedactor.builtIn(List.of());

	private static final List<Message> CONVERSATION = List.of(new SystemMessage("Answer in French."),
			new UserMessage("Weather in Paris?"),
			AssistantMessage.builder()
				.content("")
				.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "currentWeather",
						"{\"city\": \"Paris\"}")))
				.build(),
			ToolResponseMessage.builder()
				.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "currentWeather", "\"sunny\"")))
				.build());

	private final ContentCapture capture = new ContentCapture(REDACTOR::redact);

	@Test
	void aUserMessageIsATextPart() {
		assertThat(this.capture.inputMessages(List.of(new UserMessage("Weather in Paris?")), "openai"))
			.isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]");
	}

	@Test
	void aToolCallAndItsResponseAreTheJsonValuesTheyHold() {
		JsonNode messages = JSON.readTree(this.capture.inputMessages(CONVERSATION, "openai"));
		JsonNode call = messages.get(2);
		assertThat(call.path("role").asString()).isEqualTo("assistant");
		assertThat(call.path("parts")).hasSize(1);
		JsonNode callPart = call.path("parts").get(0);
		assertThat(callPart.path("type").asString()).isEqualTo("tool_call");
		assertThat(callPart.path("id").asString()).isEqualTo("call_1");
		assertThat(callPart.path("name").asString()).isEqualTo("currentWeather");
		assertThat(callPart.path("arguments").isObject()).isTrue();
		assertThat(callPart.path("arguments").path("city").asString()).isEqualTo("Paris");
		JsonNode response = messages.get(3);
		assertThat(response.path("role").asString()).isEqualTo("tool");
		JsonNode responsePart = response.path("parts").get(0);
		assertThat(responsePart.path("type").asString()).isEqualTo("tool_call_response");
		assertThat(responsePart.path("id").asString()).isEqualTo("call_1");
		// The tool returned "sunny", which Spring AI sent as the JSON string "\"sunny\""
		assertThat(responsePart.path("response").isString()).isTrue();
		assertThat(responsePart.path("response").asString()).isEqualTo("sunny");
		assertConformsToInputMessages(messages);
	}

	@Test
	void argumentsOrAResponseThatAreNotJsonAreStrings() {
		List<Message> messages = List.of(
				AssistantMessage.builder()
					.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "f", "not json")))
					.build(),
				ToolResponseMessage.builder()
					.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "f", "rainy, 57°F")))
					.build());
		JsonNode json = JSON.readTree(this.capture.inputMessages(messages, "openai"));
		assertThat(json.get(0).path("parts").get(0).path("arguments").asString()).isEqualTo("not json");
		assertThat(json.get(1).path("parts").get(0).path("response").asString()).isEqualTo("rainy, 57°F");
	}

	@Test
	void systemMessagesOfAChatHistoryApiStayInTheInputMessages() {
		// OpenAI's chat completions take system messages in the chat history
		assertThat(this.capture.systemInstructions(CONVERSATION, "openai")).isNull();
		JsonNode messages = JSON.readTree(this.capture.inputMessages(CONVERSATION, "openai"));
		assertThat(messages).hasSize(4);
		assertThat(messages.get(0).path("role").asString()).isEqualTo("system");
		assertThat(messages.get(0).path("parts").get(0).path("content").asString()).isEqualTo("Answer in French.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "anthropic", "bedrock_converse", "google_genai", "vertex_ai" })
	void systemMessagesOfAnApiThatTakesThemApartAreSystemInstructions(String provider) {
		List<Message> messages = List.of(new SystemMessage("Answer in French."), new UserMessage("Weather?"),
				new SystemMessage("Be brief."));
		assertThat(this.capture.systemInstructions(messages, provider))
			.isEqualTo("[{\"type\":\"text\",\"content\":\"Answer in French.\"},{\"type\":\"text\",\"content\":\"Be brief.\"}]");
		assertThat(this.capture.inputMessages(messages, provider))
			.isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather?\"}]}]");
	}

	@Test
	void withoutSystemMessagesThereAreNoSystemInstructions() {
		assertThat(this.capture.systemInstructions(List.of(new UserMessage("hi")), "anthropic")).isNull();
	}

	@Test
	void eachGenerationIsAnOutputMessageWithItsLowerCasedFinishReason() {
		ChatResponse response = new ChatResponse(List.of(
				new Generation(new AssistantMessage("Il fait beau."),
						ChatGenerationMetadata.builder().finishReason("STOP").build()),
				new Generation(
						AssistantMessage.builder()
							.toolCalls(List.of(new AssistantMessage.ToolCall("call_2", "function", "currentWeather",
									"{\"city\":\"Lyon\"}")))
							.build(),
						ChatGenerationMetadata.builder().finishReason("TOOL_CALLS").build())));
		JsonNode messages = JSON.readTree(this.capture.outputMessages(response));
		assertThat(messages).hasSize(2);
		assertThat(messages.get(0).path("role").asString()).isEqualTo("assistant");
		assertThat(messages.get(0).path("parts").get(0).path("content").asString()).isEqualTo("Il fait beau.");
		assertThat(messages.get(0).path("finish_reason").asString()).isEqualTo("stop");
		assertThat(messages.get(1).path("parts").get(0).path("arguments").path("city").asString()).isEqualTo("Lyon");
		assertThat(messages.get(1).path("finish_reason").asString()).isEqualTo("tool_calls");
		assertConformsToOutputMessages(messages);
	}

	@Test
	void secretsAreRedactedInsideTextsArgumentsAndResponses() {
		List<Message> messages = List.of(new UserMessage("Mail jane.doe@example.com"),
				AssistantMessage.builder()
					.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "mail",
							"{\"to\":\"jane.doe@example.com\"}")))
					.build(),
				ToolResponseMessage.builder()
					.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "mail",
							"{\"card\":\"4111 1111 1111 1111\"}")))
					.build());
		String json = this.capture.inputMessages(messages, "openai");
		assertThat(json).doesNotContain("jane").doesNotContain("4111");
		JsonNode parsed = JSON.readTree(json);
		assertThat(parsed.get(0).path("parts").get(0).path("content").asString()).isEqualTo("Mail [REDACTED:email]");
		assertThat(parsed.get(1).path("parts").get(0).path("arguments").path("to").asString())
			.isEqualTo("[REDACTED:email]");
		assertThat(parsed.get(2).path("parts").get(0).path("response").path("card").asString())
			.isEqualTo("[REDACTED:card-number]");
	}

	@Test
	void truncatedContentStaysValidJsonInEveryShape() {
		ContentTruncator truncator = new ContentTruncator(12);
		ContentCapture capture = new ContentCapture((text) -> truncator.truncate(REDACTOR.redact(text)));
		List<Message> messages = List.of(new SystemMessage("You answer \"weather\" questions.\n" + "x".repeat(50)),
				new UserMessage("Weather in \"Paris\"?"),
				AssistantMessage.builder()
					.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "currentWeather",
							"{\"city\":\"Paris\",\"days\":[1,2,3,4,5,6,7,8,9]}")))
					.build(),
				ToolResponseMessage.builder()
					.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "currentWeather",
							"{\"forecast\":\"sunny, then rainy, then sunny again\"}")))
					.build());
		JsonNode input = JSON.readTree(capture.inputMessages(messages, "openai"));
		assertConformsToInputMessages(input);
		assertThat(input.get(0).path("parts").get(0).path("content").asString())
			.isEqualTo("You answer \"…[truncated 70 chars]");
		JsonNode arguments = input.get(2).path("parts").get(0).path("arguments");
		assertThat(arguments.isObject()).isTrue();
		assertThat(arguments.toString()).contains("…[truncated ");
		assertThat(input.get(3).path("parts").get(0).path("response").isObject()).isTrue();
		JsonNode instructions = JSON.readTree(capture.systemInstructions(messages, "anthropic"));
		assertConformsToSystemInstructions(instructions);
		assertThat(JSON.readTree(capture.toolContent("{\"city\":\"Paris\",\"days\":[1,2,3,4,5,6,7,8,9]}")).isObject())
			.isTrue();
	}

	@Test
	void toolContentIsTheJsonItHoldsOrTheTextAsGiven() {
		assertThat(this.capture.toolContent("{ \"city\": \"Paris\", \"mail\": \"jane@example.com\" }"))
			.isEqualTo("{\"city\":\"Paris\",\"mail\":\"[REDACTED:email]\"}");
		assertThat(this.capture.toolContent("\"sunny\"")).isEqualTo("\"sunny\"");
		assertThat(this.capture.toolContent("rainy, write to jane@example.com"))
			.isEqualTo("rainy, write to [REDACTED:email]");
	}

	/**
	 * What {@code gen-ai-input-messages.json} requires: an array of messages with a role
	 * and parts, each part of a known type with its required properties.
	 */
	public static void assertConformsToInputMessages(JsonNode messages) {
		assertThat(messages.isArray()).isTrue();
		for (JsonNode message : messages) {
			assertThat(message.path("role").isString()).as("role of %s", message).isTrue();
			assertThat(message.path("parts").isArray()).as("parts of %s", message).isTrue();
			message.path("parts").forEach(ContentCaptureTests::assertConformsToPart);
		}
	}

	/**
	 * What {@code gen-ai-output-messages.json} adds: a finish reason, when there is one,
	 * is a string.
	 */
	public static void assertConformsToOutputMessages(JsonNode messages) {
		assertConformsToInputMessages(messages);
		for (JsonNode message : messages) {
			assertThat(message.path("role").asString()).isEqualTo("assistant");
			assertThat(message.path("finish_reason").isMissingNode() || message.path("finish_reason").isString())
				.isTrue();
		}
	}

	/**
	 * What {@code gen-ai-system-instructions.json} requires: an array of text parts.
	 */
	public static void assertConformsToSystemInstructions(JsonNode instructions) {
		assertThat(instructions.isArray()).isTrue();
		for (JsonNode part : instructions) {
			assertThat(part.path("type").asString()).isEqualTo("text");
			assertThat(part.path("content").isString()).isTrue();
		}
	}

	private static void assertConformsToPart(JsonNode part) {
		switch (part.path("type").asString()) {
			case "text" -> assertThat(part.path("content").isString()).as("content of %s", part).isTrue();
			case "tool_call" -> assertThat(part.path("name").isString()).as("name of %s", part).isTrue();
			case "tool_call_response" -> assertThat(part.has("response")).as("response of %s", part).isTrue();
			default -> throw new AssertionError("Unexpected part " + part);
		}
	}

}
