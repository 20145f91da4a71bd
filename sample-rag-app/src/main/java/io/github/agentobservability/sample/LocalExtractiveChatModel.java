package io.github.agentobservability.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.util.StringUtils;

/**
 * A language model that runs in the JVM: it answers from the passages given in the
 * system prompt, one best-matching sentence per passage, so the sample works with no
 * network and no API key.
 * <p>
 * Everything around the text is what a remote model does: the call is a Spring AI
 * {@code gen_ai.client.operation} observation (provider {@code local}), the response
 * carries the model name and real token counts (counted with jtokkit's
 * {@code o200k_base} encoding: the message texts, 3 tokens per message and 3 for the
 * reply, plus the tool definitions when tools are offered), streams come word by word,
 * and offered tools are called: with tools in the options and no tool result in the
 * conversation yet, the first turn asks for one call of the first tool (finish reason
 * {@code tool_calls}); Spring AI's tool calling advisor runs it and calls the model
 * again, which then weaves the tool's result into its answer.
 * <p>
 * Passages are read from system prompt lines {@code [id] title}, each followed by a
 * line of text, as {@link RagAgent} writes them.
 */
public class LocalExtractiveChatModel implements ChatModel {

	/** Name of the model, reported in responses and priced like any other model. */
	public static final String MODEL = "local-extractive-1";

	/** Provider name on the model's observations. */
	public static final String PROVIDER = "local";

	static final String FAIL_MARKER = "[fail:model]";

	private static final ChatModelObservationConvention DEFAULT_CONVENTION = new DefaultChatModelObservationConvention();

	private static final Pattern PASSAGE_HEADER = Pattern.compile("^\\[([^\\]\\s]+)\\] .*$");

	private static final int TOKENS_PER_MESSAGE = 3;

	private static final int TOKENS_PER_REPLY = 3;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ObservationRegistry observationRegistry;

	private final boolean chaosEnabled;

	private final Duration chunkDelay;

	private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	private ChatModelObservationConvention observationConvention = DEFAULT_CONVENTION;

	/**
	 * Creates the model.
	 * @param observationRegistry where the model's calls are observed
	 * @param chaosEnabled whether a question containing {@code [fail:model]} makes the
	 * call fail
	 * @param chunkDelay delay between the words of a stream
	 */
	public LocalExtractiveChatModel(ObservationRegistry observationRegistry, boolean chaosEnabled,
			Duration chunkDelay) {
		this.observationRegistry = observationRegistry;
		this.chaosEnabled = chaosEnabled;
		this.chunkDelay = chunkDelay;
	}

	public void setObservationConvention(ChatModelObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	@Override
	public ChatOptions getOptions() {
		return DefaultToolCallingChatOptions.builder().model(MODEL).build();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		Prompt requestPrompt = requestPrompt(prompt);
		ChatModelObservationContext observationContext = ChatModelObservationContext.builder()
			.prompt(requestPrompt)
			.provider(PROVIDER)
			.build();
		return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
			.observation(this.observationConvention, DEFAULT_CONVENTION, () -> observationContext,
					this.observationRegistry)
			.observe(() -> {
				ChatResponse response = toResponse(reply(requestPrompt));
				observationContext.setResponse(response);
				return response;
			});
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		Prompt requestPrompt = requestPrompt(prompt);
		return Flux.deferContextual((contextView) -> {
			ChatModelObservationContext observationContext = ChatModelObservationContext.builder()
				.prompt(requestPrompt)
				.provider(PROVIDER)
				.streaming(true)
				.build();
			Observation observation = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(
					this.observationConvention, DEFAULT_CONVENTION, () -> observationContext,
					this.observationRegistry);
			Observation parentObservation = contextView.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			observation.parentObservation(parentObservation);
			try (Observation.Scope ignored = (parentObservation != null) ? parentObservation.openScope()
					: Observation.Scope.NOOP) {
				observation.start();
			}
			Flux<ChatResponse> chunks = Flux.defer(() -> chunks(reply(requestPrompt)));
			Flux<ChatResponse> observed = chunks.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observation));
			return new MessageAggregator().aggregate(observed, observationContext::setResponse);
		});
	}

	private Prompt requestPrompt(Prompt prompt) {
		return (prompt.getOptions() != null) ? prompt : prompt.mutate().chatOptions(getOptions()).build();
	}

	private Reply reply(Prompt prompt) {
		String question = question(prompt);
		if (this.chaosEnabled && question.contains(FAIL_MARKER)) {
			throw new IllegalStateException("Injected model failure");
		}
		int promptTokens = promptTokens(prompt);
		List<Passage> passages = passages(prompt);
		ToolCallback tool = offeredTool(prompt);
		List<ToolResponseMessage.ToolResponse> toolResponses = toolResponses(prompt);
		if (tool != null && toolResponses.isEmpty()) {
			String name = tool.getToolDefinition().name();
			String arguments = toolArguments(tool, topic(question, passages));
			AssistantMessage.ToolCall call = new AssistantMessage.ToolCall(
					"call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24), "function", name,
					arguments);
			return new Reply(responseId(), "", List.of(call), promptTokens, count(name) + count(arguments),
					"tool_calls");
		}
		String answer = answer(question, passages, toolResponses);
		return new Reply(responseId(), answer, List.of(), promptTokens, count(answer), "stop");
	}

	private static String responseId() {
		return "local-" + UUID.randomUUID();
	}

	private String answer(String question, List<Passage> passages, List<ToolResponseMessage.ToolResponse> tools) {
		StringBuilder answer = new StringBuilder();
		if (passages.isEmpty()) {
			answer.append(RagAgent.NOTHING_FOUND);
		}
		else {
			Set<String> questionTerms = new HashSet<>(Bm25Retriever.tokenize(question));
			for (Passage passage : passages) {
				if (!answer.isEmpty()) {
					answer.append(' ');
				}
				answer.append(bestSentence(passage.text(), questionTerms)).append(" [").append(passage.id()).append(']');
			}
		}
		for (ToolResponseMessage.ToolResponse tool : tools) {
			answer.append(" (").append(tool.name()).append(": ").append(toolResult(tool.responseData())).append(')');
		}
		return answer.toString();
	}

	private static String bestSentence(String text, Set<String> questionTerms) {
		String best = text;
		long bestOverlap = -1;
		for (String sentence : text.split("(?<=[.!?])\\s+")) {
			long overlap = Bm25Retriever.tokenize(sentence).stream().filter(questionTerms::contains).count();
			if (overlap > bestOverlap) {
				best = sentence;
				bestOverlap = overlap;
			}
		}
		return best;
	}

	/**
	 * The question term that the passages mention most, longer terms first on a tie: what
	 * the question is about.
	 */
	private static String topic(String question, List<Passage> passages) {
		String text = String.join(" ", passages.stream().map(Passage::text).toList()).toLowerCase(Locale.ROOT);
		List<String> terms = Bm25Retriever.tokenize(question.replace(FAIL_MARKER, "").replace("[fail:tool]", ""))
			.stream()
			.distinct()
			.toList();
		return terms.stream()
			.max(Comparator.<String>comparingInt((term) -> occurrences(text, term)).thenComparingInt(String::length))
			.orElse("observability");
	}

	private static int occurrences(String text, String term) {
		int count = 0;
		for (int index = text.indexOf(term); index >= 0; index = text.indexOf(term, index + term.length())) {
			count++;
		}
		return count;
	}

	/** Arguments for the tool: the topic as its first parameter. */
	private static String toolArguments(ToolCallback tool, String topic) {
		String parameter = "topic";
		JsonNode properties = json.readTree(tool.getToolDefinition().inputSchema()).path("properties");
		if (properties.isObject() && !properties.propertyNames().isEmpty()) {
			parameter = properties.propertyNames().iterator().next();
		}
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put(parameter, topic);
		return json.writeValueAsString(arguments);
	}

	/** A tool's result as text: JSON strings unquoted, anything else as is. */
	private static String toolResult(String responseData) {
		try {
			JsonNode node = json.readTree(responseData);
			return node.isString() ? node.asString() : responseData;
		}
		catch (RuntimeException ex) {
			return responseData;
		}
	}

	private static String question(Prompt prompt) {
		List<UserMessage> users = prompt.getUserMessages();
		return users.isEmpty() ? "" : String.valueOf(users.get(users.size() - 1).getText());
	}

	private static List<Passage> passages(Prompt prompt) {
		List<Passage> passages = new ArrayList<>();
		for (SystemMessage system : prompt.getSystemMessages()) {
			String[] lines = String.valueOf(system.getText()).split("\\R");
			for (int i = 0; i + 1 < lines.length; i++) {
				Matcher header = PASSAGE_HEADER.matcher(lines[i].strip());
				if (header.matches()) {
					passages.add(new Passage(header.group(1), "", lines[i + 1].strip()));
					i++;
				}
			}
		}
		return passages;
	}

	private static @Nullable ToolCallback offeredTool(Prompt prompt) {
		if (prompt.getOptions() instanceof ToolCallingChatOptions options && options.getToolCallbacks() != null
				&& !options.getToolCallbacks().isEmpty()) {
			return options.getToolCallbacks().get(0);
		}
		return null;
	}

	private static List<ToolResponseMessage.ToolResponse> toolResponses(Prompt prompt) {
		return prompt.getInstructions()
			.stream()
			.filter(ToolResponseMessage.class::isInstance)
			.flatMap((message) -> ((ToolResponseMessage) message).getResponses().stream())
			.toList();
	}

	private int promptTokens(Prompt prompt) {
		int tokens = TOKENS_PER_REPLY;
		for (Message message : prompt.getInstructions()) {
			tokens += TOKENS_PER_MESSAGE + count(message.getText());
			if (message instanceof ToolResponseMessage toolResponse) {
				for (ToolResponseMessage.ToolResponse response : toolResponse.getResponses()) {
					tokens += count(response.name()) + count(response.responseData());
				}
			}
			if (message instanceof AssistantMessage assistant) {
				for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
					tokens += count(call.name()) + count(call.arguments());
				}
			}
		}
		if (prompt.getOptions() instanceof ToolCallingChatOptions options && options.getToolCallbacks() != null) {
			for (ToolCallback tool : options.getToolCallbacks()) {
				tokens += count(tool.getToolDefinition().name()) + count(tool.getToolDefinition().description())
						+ count(tool.getToolDefinition().inputSchema());
			}
		}
		return tokens;
	}

	private int count(@Nullable String text) {
		return StringUtils.hasLength(text) ? this.encoding.countTokens(text) : 0;
	}

	private ChatResponse toResponse(Reply reply) {
		return response(reply.id(), reply.text(), reply.toolCalls(), reply.finishReason(),
				new DefaultUsage(reply.promptTokens(), reply.completionTokens()));
	}

	/**
	 * The reply as a stream: a tool call in one chunk, an answer word by word; the last
	 * chunk carries the finish reason and the usage, as OpenAI's streams do.
	 */
	private Flux<ChatResponse> chunks(Reply reply) {
		if (!reply.toolCalls().isEmpty()) {
			return Mono.just(toResponse(reply)).delayElement(this.chunkDelay).flux();
		}
		List<String> words = List.of(reply.text().split("(?<= )"));
		return Flux.range(0, words.size()).concatMap((i) -> {
			boolean last = i == words.size() - 1;
			ChatResponse chunk = last
					? response(reply.id(), words.get(i), List.of(), reply.finishReason(),
							new DefaultUsage(reply.promptTokens(), reply.completionTokens()))
					: response(reply.id(), words.get(i), List.of(), null, null);
			return Mono.just(chunk).delayElement(this.chunkDelay);
		});
	}

	private static ChatResponse response(String id, String text, List<AssistantMessage.ToolCall> toolCalls,
			@Nullable String finishReason, @Nullable DefaultUsage usage) {
		AssistantMessage message = AssistantMessage.builder().content(text).toolCalls(toolCalls).build();
		ChatGenerationMetadata.Builder generationMetadata = ChatGenerationMetadata.builder();
		if (finishReason != null) {
			generationMetadata.finishReason(finishReason);
		}
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().id(id).model(MODEL);
		if (usage != null) {
			metadata.usage(usage);
		}
		return new ChatResponse(List.of(new Generation(message, generationMetadata.build())), metadata.build());
	}

	private record Reply(String id, String text, List<AssistantMessage.ToolCall> toolCalls, int promptTokens,
			int completionTokens, String finishReason) {
	}

}
