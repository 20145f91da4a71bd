package io.github.agentobservability.ai;

import java.util.List;
import java.util.function.UnaryOperator;

import io.github.agentobservability.export.JsonWriter;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Writes prompts and completions as the JSON of the OpenTelemetry GenAI conventions
 * ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}), every piece of text
 * passed through a sanitizer (redaction, then truncation) first.
 * <p>
 * Only created when content capture is switched on: by default no prompt or completion
 * text reaches a span.
 */
public final class ContentCapture {

	private final UnaryOperator<String> sanitizer;

	/**
	 * Creates a capture.
	 * @param sanitizer applied to every text before it is written; redacts and truncates
	 */
	public ContentCapture(UnaryOperator<String> sanitizer) {
		this.sanitizer = sanitizer;
	}

	/**
	 * Returns the input messages as GenAI JSON.
	 * @param messages the prompt's messages
	 * @return the JSON array
	 */
	public String inputMessages(List<Message> messages) {
		StringBuilder json = new StringBuilder(256);
		JsonWriter writer = new JsonWriter(json).beginArray();
		for (Message message : messages) {
			writer.beginObject().name("role").value(message.getMessageType().getValue()).name("parts").beginArray();
			parts(writer, message);
			writer.endArray().endObject();
		}
		writer.endArray();
		return json.toString();
	}

	/**
	 * Returns the output messages as GenAI JSON.
	 * @param response the model's response
	 * @return the JSON array
	 */
	public String outputMessages(ChatResponse response) {
		StringBuilder json = new StringBuilder(256);
		JsonWriter writer = new JsonWriter(json).beginArray();
		for (Generation generation : response.getResults()) {
			AssistantMessage message = generation.getOutput();
			writer.beginObject().name("role").value("assistant").name("parts").beginArray();
			parts(writer, message);
			writer.endArray();
			String finishReason = generation.getMetadata().getFinishReason();
			if (finishReason != null) {
				writer.name("finish_reason").value(finishReason.toLowerCase(java.util.Locale.ROOT));
			}
			writer.endObject();
		}
		writer.endArray();
		return json.toString();
	}

	/**
	 * Sanitizes a tool call's arguments or result.
	 * @param text the text
	 * @return the sanitized text
	 */
	public String toolContent(String text) {
		return this.sanitizer.apply(text);
	}

	private void parts(JsonWriter writer, Message message) {
		text(writer, message.getText());
		if (message instanceof AssistantMessage assistant) {
			for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
				writer.beginObject()
					.name("type")
					.value("tool_call")
					.name("id")
					.value(call.id())
					.name("name")
					.value(call.name())
					.name("arguments")
					.value(this.sanitizer.apply(call.arguments()))
					.endObject();
			}
		}
		if (message instanceof ToolResponseMessage toolResponses) {
			for (ToolResponseMessage.ToolResponse response : toolResponses.getResponses()) {
				writer.beginObject()
					.name("type")
					.value("tool_call_response")
					.name("id")
					.value(response.id())
					.name("response")
					.value(this.sanitizer.apply(response.responseData()))
					.endObject();
			}
		}
	}

	private void text(JsonWriter writer, @Nullable String text) {
		if (text != null && !text.isEmpty()) {
			writer.beginObject().name("type").value("text").name("content").value(this.sanitizer.apply(text)).endObject();
		}
	}

}
