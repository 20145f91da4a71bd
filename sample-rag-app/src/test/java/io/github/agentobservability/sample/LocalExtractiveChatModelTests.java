package io.github.agentobservability.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.support.ToolCallbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The local model on its own: answers, token counts, tool calls, streams and the
 * observation of every call.
 */
class LocalExtractiveChatModelTests {

	private static final SystemMessage PASSAGES = new SystemMessage("""
			Answer from the passages.

			Passages:
			[otel-05] Batch span processor
			Exporting spans one by one is slow. The batch span processor queues finished spans and exports them in batches.
			[otel-06] OTLP
			OTLP is the OpenTelemetry protocol.
			""");

	private final List<ChatModelObservationContext> observed = new CopyOnWriteArrayList<>();

	private final LocalExtractiveChatModel model = new LocalExtractiveChatModel(registry(), true, Duration.ofMillis(1));

	@Test
	void answersWithOneSentencePerPassageAndCountsTokens() {
		ChatResponse response = this.model.call(new Prompt(List.of(PASSAGES, new UserMessage("What does the batch processor do?"))));
		String text = response.getResult().getOutput().getText();
		assertThat(text).isEqualTo(
				"The batch span processor queues finished spans and exports them in batches. [otel-05] OTLP is the OpenTelemetry protocol. [otel-06]");
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		assertThat(response.getMetadata().getModel()).isEqualTo("local-extractive-1");
		assertThat(response.getMetadata().getUsage().getCompletionTokens())
			.isEqualTo(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE).countTokens(text));
		assertThat(response.getMetadata().getUsage().getPromptTokens()).isGreaterThan(40);
		assertThat(this.observed).singleElement().satisfies((context) -> {
			assertThat(context.getOperationMetadata().provider()).isEqualTo("local");
			assertThat(context.getRequest().getOptions().getModel()).isEqualTo("local-extractive-1");
			assertThat(context.getResponse()).isSameAs(response);
		});
	}

	@Test
	void callsAnOfferedToolOnceThenUsesItsResult() {
		ToolCallingChatOptions options = ToolCallingChatOptions.builder()
			.model("local-extractive-1")
			.toolCallbacks(ToolCallbacks.from(new CorpusStats(new Corpus())))
			.build();
		UserMessage question = new UserMessage("What does the batch processor do?");
		ChatResponse first = this.model.call(new Prompt(List.of(PASSAGES, question), options));
		AssistantMessage call = first.getResult().getOutput();
		assertThat(first.getResult().getMetadata().getFinishReason()).isEqualTo("tool_calls");
		assertThat(call.getToolCalls()).singleElement().satisfies((toolCall) -> {
			assertThat(toolCall.name()).isEqualTo("countDocuments");
			assertThat(toolCall.arguments()).isEqualTo("{\"topic\":\"batch\"}");
		});

		ToolResponseMessage result = ToolResponseMessage.builder()
			.responses(List.of(new ToolResponseMessage.ToolResponse(call.getToolCalls().get(0).id(), "countDocuments",
					"\"2 of 34 documents mention \\\"batch\\\"\"")))
			.build();
		ChatResponse second = this.model.call(new Prompt(List.of(PASSAGES, question, call, result), options));
		assertThat(second.getResult().getOutput().getText())
			.endsWith("[otel-06] (countDocuments: 2 of 34 documents mention \"batch\")");
		assertThat(second.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		assertThat(second.getMetadata().getUsage().getPromptTokens())
			.isGreaterThan(first.getMetadata().getUsage().getPromptTokens());
	}

	@Test
	void streamsTheSameAnswerWordByWordWithTheUsageOnTheLastChunk() {
		Prompt prompt = new Prompt(List.of(PASSAGES, new UserMessage("What does the batch processor do?")));
		String answer = this.model.call(prompt).getResult().getOutput().getText();
		List<ChatResponse> chunks = this.model.stream(prompt).collectList().block();
		assertThat(chunks).hasSizeGreaterThan(10);
		assertThat(String.join("", chunks.stream().map((chunk) -> chunk.getResult().getOutput().getText()).toList()))
			.isEqualTo(answer);
		assertThat(chunks.get(chunks.size() - 1).getMetadata().getUsage().getCompletionTokens()).isPositive();
		// The observation stops right after the last chunk, on the stream's thread.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.observed).hasSize(2));
		assertThat(this.observed).last().satisfies((context) -> {
			assertThat(context.isStreaming()).isTrue();
			assertThat(context.getResponse().getResult().getOutput().getText()).isEqualTo(answer);
			assertThat(context.getResponse().getMetadata().getUsage().getCompletionTokens()).isPositive();
		});
	}

	@Test
	void withoutPassagesItSaysSo() {
		ChatResponse response = this.model.call(new Prompt("Who won the 1998 World Cup?"));
		assertThat(response.getResult().getOutput().getText()).contains("could not find");
	}

	@Test
	void chaosFailsTheCallInsideItsObservation() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.model.call(new Prompt(List.of(PASSAGES, new UserMessage("OTLP? [fail:model]")))))
			.withMessage("Injected model failure");
		assertThat(this.observed).singleElement().satisfies((context) -> assertThat(context.getError()).isNotNull());
	}

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<ChatModelObservationContext>() {

			@Override
			public void onStop(ChatModelObservationContext context) {
				LocalExtractiveChatModelTests.this.observed.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ChatModelObservationContext;
			}

		});
		return registry;
	}

}
