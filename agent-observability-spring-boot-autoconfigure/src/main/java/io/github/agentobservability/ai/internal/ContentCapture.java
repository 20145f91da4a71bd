package io.github.agentobservability.ai.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.github.agentobservability.export.internal.JsonWriter;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.util.StringUtils;

/**
 * Writes prompts, completions and tool calls in the JSON shapes of the OpenTelemetry
 * GenAI conventions ({@code gen-ai-input-messages.json},
 * {@code gen-ai-output-messages.json}, {@code gen-ai-system-instructions.json}), as JSON
 * strings, since OpenTelemetry attributes cannot hold structured values yet and the
 * conventions then ask for the value serialized to JSON.
 * <ul>
 * <li>Input messages: {@code [{"role", "parts"}]}, the role Spring AI's
 * ({@code system}, {@code user}, {@code assistant}, {@code tool}); parts are
 * {@code {"type":"text","content"}}, an assistant's tool calls
 * {@code {"type":"tool_call","id","name","arguments"}} and a tool message's responses
 * {@code {"type":"tool_call_response","id","response"}}.</li>
 * <li>Output messages: one per generation, role {@code assistant}, with
 * {@code "finish_reason"} lower-cased as in {@code gen_ai.response.finish_reasons}.</li>
 * <li>System instructions: {@code [{"type":"text","content"}]}, one part per system
 * message, only for providers whose API takes them apart from the chat history
 * (Anthropic, Bedrock Converse, Gemini): the conventions record instructions that are
 * part of the chat history, as OpenAI's system messages are, among the input messages,
 * where they stay.</li>
 * </ul>
 * Tool call arguments and responses, and {@code gen_ai.tool.call.arguments} and
 * {@code gen_ai.tool.call.result}, are the JSON value their text holds, as the
 * conventions expect, or the text when it is not JSON ({@link JsonContent}).
 * <p>
 * Every text is passed through the sanitizer (redaction, then truncation) first, each
 * text content on its own and each string and number of a JSON value on its own, so
 * that markers land inside JSON strings and the attributes stay valid JSON whatever the
 * content; a JSON value is cut as a whole to the sanitizer's limit. Only created when
 * content capture is switched on: by default no prompt or completion text reaches a
 * span.
 */
public final class ContentCapture {

	/**
	 * Spring AI's provider names (and the conventions' for them) of the APIs that take
	 * system instructions apart from the messages, where Spring AI's clients put the
	 * system messages.
	 */
	private static final Set<String> SEPARATE_SYSTEM_INSTRUCTIONS = Set.of("anthropic", "bedrock_converse",
			"aws.bedrock", "google_genai", "vertex_ai", "gcp.gemini", "gcp.vertex_ai", "gcp.gen_ai");

	private final UnaryOperator<String> sanitizer;

	/**
	 * Creates a capture.
	 * @param sanitizer applied to every text before it is written; redacts and truncates
	 */
	public ContentCapture(UnaryOperator<String> sanitizer) {
		this.sanitizer = sanitizer;
	}

	/**
	 * Returns the system instructions as GenAI JSON, for {@code gen_ai.system_instructions}.
	 * @param messages the prompt's messages
	 * @param provider Spring AI's name of the provider called
	 * @return the JSON array of the system messages' text parts, or {@code null} if the
	 * provider takes system messages as part of the chat history or there are none
	 */
	public @Nullable String systemInstructions(List<Message> messages, String provider) {
		if (!separatesSystemInstructions(provider)) {
			return null;
		}
		StringBuilder json = new StringBuilder(256);
		JsonWriter writer = new JsonWriter(json).beginArray();
		for (Message message : messages) {
			if (message.getMessageType() == MessageType.SYSTEM) {
				text(writer, message.getText());
			}
		}
		writer.endArray();
		return (json.length() > 2) ? json.toString() : null;
	}

	/**
	 * Returns the input messages as GenAI JSON, for {@code gen_ai.input.messages}.
	 * @param messages the prompt's messages, in the order they are sent
	 * @param provider Spring AI's name of the provider called; system messages are left
	 * to {@link #systemInstructions} for those that take them apart
	 * @return the JSON array
	 */
	public String inputMessages(List<Message> messages, String provider) {
		boolean withoutSystem = separatesSystemInstructions(provider);
		StringBuilder json = new StringBuilder(256);
		JsonWriter writer = new JsonWriter(json).beginArray();
		for (Message message : messages) {
			if (withoutSystem && message.getMessageType() == MessageType.SYSTEM) {
				continue;
			}
			writer.beginObject().name("role").value(message.getMessageType().getValue()).name("parts").beginArray();
			parts(writer, json, message);
			writer.endArray().endObject();
		}
		writer.endArray();
		return json.toString();
	}

	/**
	 * Returns the output messages as GenAI JSON, for {@code gen_ai.output.messages}.
	 * @param response the model's response
	 * @return the JSON array, one message per generation
	 */
	public String outputMessages(ChatResponse response) {
		StringBuilder json = new StringBuilder(256);
		JsonWriter writer = new JsonWriter(json).beginArray();
		for (Generation generation : response.getResults()) {
			writer.beginObject().name("role").value("assistant").name("parts").beginArray();
			parts(writer, json, generation.getOutput());
			writer.endArray();
			String finishReason = generation.getMetadata().getFinishReason();
			if (StringUtils.hasText(finishReason)) {
				writer.name("finish_reason").value(finishReason.toLowerCase(Locale.ROOT));
			}
			writer.endObject();
		}
		writer.endArray();
		return json.toString();
	}

	/**
	 * Returns a tool call's arguments or result as recorded in
	 * {@code gen_ai.tool.call.arguments} and {@code gen_ai.tool.call.result}: the JSON
	 * its text holds, each string sanitized and the whole cut to stay valid, or the
	 * sanitized text if it is not JSON.
	 * @param text the arguments or result, as the tool got or returned it
	 * @return the JSON, or the text
	 */
	public String toolContent(String text) {
		return JsonContent.toText(text, this.sanitizer);
	}

	static boolean separatesSystemInstructions(String provider) {
		return SEPARATE_SYSTEM_INSTRUCTIONS.contains(provider);
	}

	/**
	 * Writes a message's parts. JSON values are appended to {@code json} right after a
	 * name, where the writer expects a value and needs no separator.
	 */
	private void parts(JsonWriter writer, StringBuilder json, Message message) {
		text(writer, message.getText());
		if (message instanceof AssistantMessage assistant) {
			for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
				writer.beginObject().name("type").value("tool_call");
				if (call.id() != null) {
					writer.name("id").value(call.id());
				}
				writer.name("name").value((call.name() != null) ? call.name() : "");
				if (call.arguments() != null) {
					writer.name("arguments");
					json.append(JsonContent.toJson(call.arguments(), this.sanitizer));
				}
				writer.endObject();
			}
		}
		if (message instanceof ToolResponseMessage toolResponses) {
			for (ToolResponseMessage.ToolResponse response : toolResponses.getResponses()) {
				writer.beginObject().name("type").value("tool_call_response");
				if (response.id() != null) {
					writer.name("id").value(response.id());
				}
				writer.name("response");
				if (response.responseData() != null) {
					json.append(JsonContent.toJson(response.responseData(), this.sanitizer));
				}
				else {
					writer.nullValue();
				}
				writer.endObject();
			}
		}
	}

	private void text(JsonWriter writer, @Nullable String text) {
		if (text != null && !text.isEmpty()) {
			writer.beginObject().name("type").value("text").name("content").value(this.sanitizer.apply(text)).endObject();
		}
	}

}
