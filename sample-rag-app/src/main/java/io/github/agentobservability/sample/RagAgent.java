package io.github.agentobservability.sample;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.agentobservability.ai.ModelPricing;
import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.util.StringUtils;

/**
 * Retrieve, then generate: one agent run ({@code invoke_agent rag}) with a retrieval span,
 * the model calls and the tool call the starter traces from Spring AI.
 * <p>
 * The model is whatever {@link ChatModel} is configured: OpenAI with a key, the
 * {@link LocalExtractiveChatModel} without. With chaos on, {@code [fail:model]} in the
 * question fails the model call (the local model throws inside its call; with OpenAI the
 * agent throws right before calling it, so that no request is sent) and
 * {@code [fail:tool]} fails the tool call.
 * <p>
 * A question in a conversation is asked with Spring AI's chat memory
 * ({@link MessageChatMemoryAdvisor}): the model sees the conversation's earlier questions
 * and answers, and the agent run's span and every span of its model and tool calls carry
 * the conversation id ({@code gen_ai.conversation.id}). A question on its own uses no
 * memory, so that one-off asks keep nothing on the server.
 */
@Service
public class RagAgent {

	private static final Logger logger = LoggerFactory.getLogger(RagAgent.class);

	static final int TOP_K = 3;

	static final String FAIL_TOOL_MARKER = "[fail:tool]";

	/** The answer to a question that no passage of the corpus matches. */
	public static final String NOTHING_FOUND = "I could not find anything about that in the corpus.";

	private static final String INSTRUCTIONS = """
			You answer questions about observability and LLM operations from the passages below only.
			Cite the id of each passage you use in square brackets, like [otel-01]. If the passages
			do not answer the question, say so. Call the countDocuments tool once with the topic of
			the question and mention what it returns.

			Passages:
			""";

	private final Bm25Retriever retriever;

	private final ChatClient chatClient;

	private final MessageChatMemoryAdvisor memory;

	private final CorpusStats corpusStats;

	private final ObjectProvider<ModelPricing> pricing;

	private final Tracer tracer;

	private final boolean chaosEnabled;

	private final boolean localModel;

	public RagAgent(Bm25Retriever retriever, ChatClient.Builder chatClient, ChatModel chatModel, ChatMemory chatMemory,
			CorpusStats corpusStats, ObjectProvider<ModelPricing> pricing, Tracer tracer, SampleProperties properties) {
		this.retriever = retriever;
		this.chatClient = chatClient.build();
		this.memory = MessageChatMemoryAdvisor.builder(chatMemory).build();
		this.corpusStats = corpusStats;
		this.pricing = pricing;
		this.tracer = tracer;
		this.chaosEnabled = properties.getChaos().isEnabled();
		this.localModel = chatModel instanceof LocalExtractiveChatModel;
	}

	/**
	 * Answers a question. Usage and cost are those of the whole run: Spring AI's tool
	 * calling advisor adds up the usage of every model call of the run (the tool call
	 * turn and the answer turn) on the final response, which is what is read here. A
	 * question the corpus does not cover is answered with {@link #NOTHING_FOUND} and no
	 * model call, and does not become part of the conversation.
	 * @param question the question
	 * @param conversationId the conversation the question continues, {@code null} for
	 * none
	 * @return the answer
	 */
	@Traced(agent = "rag")
	public Answer ask(String question, @SpanAttribute("gen_ai.conversation.id") @Nullable String conversationId) {
		List<Passage> passages = this.retriever.retrieve(question, TOP_K);
		if (passages.isEmpty()) {
			return nothingFound(conversationId);
		}
		failModelIfAsked(question);
		ChatResponse response = prompt(question, passages, conversationId).call().chatResponse();
		String text = (response != null) ? text(response) : null;
		return answer((text != null) ? text : "", passages, conversationId, response, traceId());
	}

	/**
	 * Answers a question as a stream: the pieces of the answer text, then the whole
	 * {@link Answer}, with the sources, usage, cost and trace id that {@link #ask}
	 * returns. The usage is that of the stream's last response that carries one, which
	 * Spring AI's tool calling advisor adds up for the whole run.
	 * @param question the question
	 * @param conversationId the conversation the question continues, {@code null} for
	 * none
	 * @return the pieces of the answer, then the answer
	 */
	@Traced(agent = "rag")
	public Flux<StreamItem> stream(String question,
			@SpanAttribute("gen_ai.conversation.id") @Nullable String conversationId) {
		List<Passage> passages = this.retriever.retrieve(question, TOP_K);
		if (passages.isEmpty()) {
			Answer answer = nothingFound(conversationId);
			return Flux.just(new Piece(answer.answer()), answer);
		}
		try {
			failModelIfAsked(question);
		}
		catch (IllegalStateException ex) {
			return Flux.error(ex);
		}
		String traceId = traceId();
		return Flux.defer(() -> {
			StringBuilder text = new StringBuilder();
			AtomicReference<@Nullable ChatResponse> withUsage = new AtomicReference<>();
			Flux<StreamItem> pieces = prompt(question, passages, conversationId).stream()
				.chatResponse()
				.doOnNext((response) -> {
					Usage usage = response.getMetadata().getUsage();
					if (usage != null && tokens(usage.getTotalTokens()) > 0) {
						withUsage.set(response);
					}
				})
				.mapNotNull(RagAgent::text)
				.filter(StringUtils::hasLength)
				.doOnNext(text::append)
				.map(Piece::new);
			return pieces.concatWith(Mono.fromSupplier(
					() -> answer(text.toString(), passages, conversationId, withUsage.get(), traceId)));
		});
	}

	private Answer answer(String text, List<Passage> passages, @Nullable String conversationId,
			@Nullable ChatResponse response, @Nullable String traceId) {
		Usage usage = (response != null) ? response.getMetadata().getUsage() : null;
		long input = tokens((usage != null) ? usage.getPromptTokens() : null);
		long output = tokens((usage != null) ? usage.getCompletionTokens() : null);
		String model = (response != null) ? response.getMetadata().getModel() : null;
		ModelPricing pricing = this.pricing.getIfAvailable();
		BigDecimal cost = (pricing != null && StringUtils.hasText(model))
				? pricing.cost(model, input, output, 0).orElse(null) : null;
		logger.info("Answered from {} passages with {} tokens", passages.size(), input + output);
		return new Answer(text, passages.stream().map(Passage::id).toList(), conversationId,
				new TokenUsage(input, output, input + output), cost, traceId);
	}

	/** The answer to a question no passage matches: no model was called, nothing spent. */
	private Answer nothingFound(@Nullable String conversationId) {
		logger.info("Answered from 0 passages without a model call");
		return new Answer(NOTHING_FOUND, List.of(), conversationId, new TokenUsage(0, 0, 0), BigDecimal.ZERO,
				traceId());
	}

	private static @Nullable String text(ChatResponse response) {
		return (response.getResult() != null) ? response.getResult().getOutput().getText() : null;
	}

	private ChatClient.ChatClientRequestSpec prompt(String question, List<Passage> passages,
			@Nullable String conversationId) {
		StringBuilder system = new StringBuilder(INSTRUCTIONS);
		for (Passage passage : passages) {
			system.append('[').append(passage.id()).append("] ").append(passage.title()).append('\n');
			system.append(passage.text()).append('\n');
		}
		boolean failTool = this.chaosEnabled && question.contains(FAIL_TOOL_MARKER);
		ChatClient.ChatClientRequestSpec prompt = this.chatClient.prompt()
			.system(system.toString())
			.user(question)
			.tools(this.corpusStats)
			.toolContext(Map.of(CorpusStats.FAIL, failTool));
		if (conversationId != null) {
			prompt.advisors(
					(advisors) -> advisors.advisors(this.memory).param(ChatMemory.CONVERSATION_ID, conversationId));
		}
		return prompt;
	}

	private void failModelIfAsked(String question) {
		if (this.chaosEnabled && !this.localModel && question.contains(LocalExtractiveChatModel.FAIL_MARKER)) {
			throw new IllegalStateException("Injected model failure");
		}
	}

	private @Nullable String traceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() : null;
	}

	private static long tokens(@Nullable Integer tokens) {
		return (tokens != null) ? Math.max(0, tokens) : 0;
	}

	/**
	 * What the agent found.
	 *
	 * @param answer the answer text
	 * @param sources ids of the passages it is drawn from
	 * @param conversationId the conversation it belongs to, {@code null} for none
	 * @param usage tokens of all model calls of the run
	 * @param costUsd cost of those tokens in USD, {@code null} when the model has no price
	 * @param traceId id of the run's trace
	 */
	public record Answer(String answer, List<String> sources, @Nullable String conversationId, TokenUsage usage,
			@Nullable BigDecimal costUsd, @Nullable String traceId) implements StreamItem {
	}

	/**
	 * What {@link #stream} sends: {@link Piece pieces} of the answer text, then the whole
	 * {@link Answer}.
	 */
	public sealed interface StreamItem permits Piece, Answer {

	}

	/**
	 * A piece of the answer text, as the model streamed it.
	 *
	 * @param text the piece
	 */
	public record Piece(String text) implements StreamItem {
	}

	/**
	 * Tokens of a run.
	 *
	 * @param inputTokens prompt tokens
	 * @param outputTokens completion tokens
	 * @param totalTokens both
	 */
	public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
	}

}
