package io.github.agentobservability.ai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A local OpenAI-compatible HTTP server for tests, on the JDK's {@link HttpServer}: the
 * real OpenAI client (Spring AI's, on the {@code openai-java} SDK) talks to it through
 * {@code spring.ai.openai.base-url=}{@link #baseUrl()}.
 * <p>
 * Responses are scripted in a FIFO queue per endpoint ({@value #CHAT_COMPLETIONS},
 * {@value #EMBEDDINGS}); one scripted response answers one HTTP request, so a response
 * consumed by an SDK retry is gone. When a queue is empty a default answer is sent: the
 * chat completion "{@value #DEFAULT_CHAT_CONTENT}" (streamed when the request asked for a
 * stream) or an embedding of {@value #DEFAULT_EMBEDDING_DIMENSIONS} dimensions, so that
 * unrelated calls do not hang. Unknown paths get a 404 in OpenAI's error format.
 * <p>
 * Every request is recorded ({@link #requests()}, {@link #takeRequest()}), with its
 * headers and body. Thread-safe: requests are served concurrently, and scripting from
 * any thread is fine.
 */
public final class OpenAiMockServer implements AutoCloseable {

	/**
	 * The API key {@link #clientProperties()} gives the client: a secret that must never
	 * show in spans, meters or logs.
	 */
	public static final String API_KEY = "sk-test-0123456789abcdef";

	/** Path of the chat completions endpoint. */
	public static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/** Path of the embeddings endpoint. */
	public static final String EMBEDDINGS = "/v1/embeddings";

	/** Content of the default chat completion. */
	public static final String DEFAULT_CHAT_CONTENT = "Hello from the mock.";

	/** Response model of the default answers, when the request names none. */
	public static final String DEFAULT_RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

	/** Dimensions of the default embedding. */
	public static final int DEFAULT_EMBEDDING_DIMENSIONS = 8;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SYSTEM_FINGERPRINT = "fp_mock0001";

	private final HttpServer server;

	private final ExecutorService executor;

	private final Map<String, Queue<Function<RecordedRequest, Response>>> scripts = new ConcurrentHashMap<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final BlockingQueue<RecordedRequest> unread = new LinkedBlockingQueue<>();

	private final AtomicInteger ids = new AtomicInteger();

	private OpenAiMockServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts a server on 127.0.0.1 and a free port.
	 * @return the started server
	 */
	public static OpenAiMockServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			AtomicInteger threads = new AtomicInteger();
			ThreadFactory threadFactory = (runnable) -> {
				Thread thread = new Thread(runnable, "openai-mock-" + threads.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			};
			ExecutorService executor = Executors.newCachedThreadPool(threadFactory);
			server.setExecutor(executor);
			OpenAiMockServer mock = new OpenAiMockServer(server, executor);
			server.createContext("/", mock::handle);
			server.start();
			return mock;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An application of the given configuration whose Spring AI OpenAI client talks to
	 * this server, with every span sampled.
	 * @param configuration the application's configuration
	 * @return the runner
	 */
	public ApplicationContextRunner applicationRunner(Class<?> configuration) {
		return new ApplicationContextRunner().withUserConfiguration(configuration)
			.withPropertyValues(clientProperties())
			.withPropertyValues("management.tracing.sampling.probability=1.0", "spring.application.name=test-app");
	}

	/**
	 * Properties that point Spring AI's OpenAI client at this server: base URL, API key,
	 * model {@code gpt-4o-mini}, and none of the openai-java SDK's own retries (Spring
	 * AI's default is 3), so that an error response reaches the test once.
	 * @return {@code key=value} pairs for a context runner or a {@code @SpringBootTest}
	 */
	public String[] clientProperties() {
		return new String[] { "spring.ai.openai.base-url=" + baseUrl(), "spring.ai.openai.api-key=" + API_KEY,
				"spring.ai.openai.chat.model=gpt-4o-mini", "spring.ai.openai.max-retries=0" };
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The base URL for the client, {@code /v1} included, as Spring AI 2 expects it in
	 * {@code spring.ai.openai.base-url}.
	 * @return {@code http://127.0.0.1:PORT/v1}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + port() + "/v1";
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	// Scripting

	/**
	 * Scripts a non-streamed chat completion.
	 * @param content the assistant's answer
	 * @param responseModel the model in the response, e.g. {@code gpt-4o-mini-2024-07-18}
	 * @param promptTokens the prompt tokens in the usage
	 * @param completionTokens the completion tokens in the usage
	 * @return this server
	 */
	public OpenAiMockServer enqueueChat(String content, String responseModel, int promptTokens, int completionTokens) {
		return enqueueChat(content, responseModel, promptTokens, completionTokens, 0);
	}

	/**
	 * Scripts a non-streamed chat completion with cached prompt tokens.
	 * @param content the assistant's answer
	 * @param responseModel the model in the response
	 * @param promptTokens the prompt tokens in the usage
	 * @param completionTokens the completion tokens in the usage
	 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}
	 * @return this server
	 */
	public OpenAiMockServer enqueueChat(String content, String responseModel, int promptTokens, int completionTokens,
			int cachedTokens) {
		return enqueue(CHAT_COMPLETIONS, (request) -> {
			ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", content);
			message.putNull("refusal");
			message.putArray("annotations");
			return json(200, completion(message, "stop", responseModel,
					usage(promptTokens, completionTokens, cachedTokens)));
		});
	}

	/**
	 * Scripts a non-streamed chat completion that calls a tool: {@code content} null,
	 * {@code finish_reason} {@code tool_calls}, response model
	 * {@value #DEFAULT_RESPONSE_MODEL}.
	 * @param toolName the function name
	 * @param argumentsJson the arguments, a JSON object as a string
	 * @param toolCallId the tool call id, e.g. {@code call_abc123}
	 * @param promptTokens the prompt tokens in the usage
	 * @param completionTokens the completion tokens in the usage
	 * @return this server
	 */
	public OpenAiMockServer enqueueToolCall(String toolName, String argumentsJson, String toolCallId,
			int promptTokens, int completionTokens) {
		return enqueueToolCall(toolName, argumentsJson, toolCallId, DEFAULT_RESPONSE_MODEL, promptTokens,
				completionTokens);
	}

	/**
	 * Scripts a non-streamed chat completion that calls a tool.
	 * @param toolName the function name
	 * @param argumentsJson the arguments, a JSON object as a string
	 * @param toolCallId the tool call id
	 * @param responseModel the model in the response
	 * @param promptTokens the prompt tokens in the usage
	 * @param completionTokens the completion tokens in the usage
	 * @return this server
	 */
	public OpenAiMockServer enqueueToolCall(String toolName, String argumentsJson, String toolCallId,
			String responseModel, int promptTokens, int completionTokens) {
		return enqueue(CHAT_COMPLETIONS, (request) -> {
			ObjectNode message = JSON.createObjectNode().put("role", "assistant");
			message.putNull("content");
			ObjectNode toolCall = message.putArray("tool_calls").addObject();
			toolCall.put("id", toolCallId).put("type", "function");
			toolCall.putObject("function").put("name", toolName).put("arguments", argumentsJson);
			message.putNull("refusal");
			message.putArray("annotations");
			return json(200, completion(message, "tool_calls", responseModel, usage(promptTokens, completionTokens, 0)));
		});
	}

	/**
	 * Scripts a streamed chat completion, chunks sent without delay.
	 * @param contentPieces the content of the chunks, in order
	 * @param responseModel the model in the response
	 * @param promptTokens the prompt tokens in the usage chunk
	 * @param completionTokens the completion tokens in the usage chunk
	 * @return this server
	 * @see #enqueueStream(List, String, int, int, Duration)
	 */
	public OpenAiMockServer enqueueStream(List<String> contentPieces, String responseModel, int promptTokens,
			int completionTokens) {
		return enqueueStream(contentPieces, responseModel, promptTokens, completionTokens, Duration.ZERO);
	}

	/**
	 * Scripts a streamed chat completion ({@code text/event-stream}), as OpenAI sends it:
	 * one {@code chat.completion.chunk} per piece (the first with {@code delta.role}), a
	 * chunk with {@code finish_reason: "stop"}, then, when the request asked for
	 * {@code stream_options.include_usage}, a usage-only chunk ({@code choices: []}), and
	 * {@code data: [DONE]}. Each event is flushed on its own; the delay is slept before
	 * every event, the first included, so time to first chunk is at least one delay.
	 * @param contentPieces the content of the chunks, in order
	 * @param responseModel the model in the response
	 * @param promptTokens the prompt tokens in the usage chunk
	 * @param completionTokens the completion tokens in the usage chunk
	 * @param interChunkDelay the delay before each event
	 * @return this server
	 */
	public OpenAiMockServer enqueueStream(List<String> contentPieces, String responseModel, int promptTokens,
			int completionTokens, Duration interChunkDelay) {
		List<String> pieces = List.copyOf(contentPieces);
		return enqueue(CHAT_COMPLETIONS, (request) -> {
			String id = completionId();
			long created = created();
			boolean includeUsage = includeUsage(request);
			List<String> events = new ArrayList<>();
			for (int i = 0; i < pieces.size(); i++) {
				ObjectNode delta = JSON.createObjectNode();
				if (i == 0) {
					delta.put("role", "assistant");
				}
				delta.put("content", pieces.get(i));
				if (i == 0) {
					delta.putNull("refusal");
				}
				events.add(chunk(id, created, responseModel, delta, null, includeUsage));
			}
			events.add(chunk(id, created, responseModel, JSON.createObjectNode(), "stop", includeUsage));
			if (includeUsage) {
				events.add(usageChunk(id, created, responseModel, usage(promptTokens, completionTokens, 0)));
			}
			return stream(events, interChunkDelay);
		});
	}

	/**
	 * Scripts a streamed tool call: a first chunk with {@code delta.role}, the tool call's
	 * id, type and name and empty arguments, the arguments in three parts, a chunk with
	 * {@code finish_reason: "tool_calls"}, the usage chunk when asked for, and
	 * {@code [DONE]}.
	 * @param toolName the function name
	 * @param argumentsJson the arguments, a JSON object as a string
	 * @param toolCallId the tool call id
	 * @param responseModel the model in the response
	 * @param promptTokens the prompt tokens in the usage chunk
	 * @param completionTokens the completion tokens in the usage chunk
	 * @return this server
	 */
	public OpenAiMockServer enqueueStreamedToolCall(String toolName, String argumentsJson, String toolCallId,
			String responseModel, int promptTokens, int completionTokens) {
		return enqueue(CHAT_COMPLETIONS, (request) -> {
			String id = completionId();
			long created = created();
			boolean includeUsage = includeUsage(request);
			List<String> events = new ArrayList<>();
			ObjectNode first = JSON.createObjectNode().put("role", "assistant");
			first.putNull("content");
			ObjectNode firstCall = first.putArray("tool_calls").addObject();
			firstCall.put("index", 0).put("id", toolCallId).put("type", "function");
			firstCall.putObject("function").put("name", toolName).put("arguments", "");
			first.putNull("refusal");
			events.add(chunk(id, created, responseModel, first, null, includeUsage));
			for (String part : split(argumentsJson, 3)) {
				ObjectNode delta = JSON.createObjectNode();
				delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", part);
				events.add(chunk(id, created, responseModel, delta, null, includeUsage));
			}
			events.add(chunk(id, created, responseModel, JSON.createObjectNode(), "tool_calls", includeUsage));
			if (includeUsage) {
				events.add(usageChunk(id, created, responseModel, usage(promptTokens, completionTokens, 0)));
			}
			return stream(events, Duration.ZERO);
		});
	}

	/**
	 * Scripts an error on the chat completions endpoint, with {@code code} = {@code type}
	 * (e.g. {@code 429, "rate_limit_exceeded", ...} or {@code 500, "server_error", ...}).
	 * @param status the HTTP status
	 * @param type the error type
	 * @param message the error message
	 * @return this server
	 */
	public OpenAiMockServer enqueueError(int status, String type, String message) {
		return enqueueError(CHAT_COMPLETIONS, status, type, type, message, Map.of());
	}

	/**
	 * Scripts an error in OpenAI's format,
	 * {@code {"error":{"message","type","param":null,"code"}}}.
	 * @param path the endpoint, e.g. {@link #CHAT_COMPLETIONS} or {@link #EMBEDDINGS}
	 * @param status the HTTP status
	 * @param type the error type
	 * @param code the error code, or {@code null}
	 * @param message the error message
	 * @param headers extra response headers, e.g. {@code retry-after-ms} or
	 * {@code x-should-retry}, which the SDK's retries honour
	 * @return this server
	 */
	public OpenAiMockServer enqueueError(String path, int status, String type, String code, String message,
			Map<String, String> headers) {
		Map<String, String> extraHeaders = Map.copyOf(headers);
		return enqueue(path, (request) -> {
			Response response = json(status, error(type, code, message));
			response.headers.putAll(extraHeaders);
			return response;
		});
	}

	/**
	 * Scripts an embeddings response: one embedding of {@code dimensions} per input of the
	 * request, as floats or, when the request asked for {@code encoding_format: base64},
	 * as base64 little-endian float32, with the request's model.
	 * @param dimensions the length of each vector
	 * @param promptTokens the prompt (and total) tokens in the usage
	 * @return this server
	 */
	public OpenAiMockServer enqueueEmbedding(int dimensions, int promptTokens) {
		return enqueue(EMBEDDINGS, (request) -> embedding(request, dimensions, promptTokens));
	}

	/**
	 * Scripts a raw response.
	 * @param path the endpoint
	 * @param status the HTTP status
	 * @param contentType the content type
	 * @param body the body
	 * @return this server
	 */
	public OpenAiMockServer enqueueRaw(String path, int status, String contentType, String body) {
		return enqueue(path, (request) -> {
			Response response = new Response(status, List.of(body), Duration.ZERO, false);
			response.headers.put("Content-Type", contentType);
			return response;
		});
	}

	/**
	 * Scripted responses not consumed yet on an endpoint.
	 * @param path the endpoint
	 * @return the number of responses left in its queue
	 */
	public int pending(String path) {
		Queue<?> queue = this.scripts.get(path);
		return (queue != null) ? queue.size() : 0;
	}

	private OpenAiMockServer enqueue(String path, Function<RecordedRequest, Response> script) {
		this.scripts.computeIfAbsent(path, (key) -> new ConcurrentLinkedQueue<>()).add(script);
		return this;
	}

	// Recorded requests

	/**
	 * Every request received so far, in arrival order.
	 * @return a snapshot of the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Requests received so far on one path.
	 * @param path the path, e.g. {@link #CHAT_COMPLETIONS}
	 * @return a snapshot of those requests
	 */
	public List<RecordedRequest> requests(String path) {
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	public int requestCount() {
		return this.requests.size();
	}

	/**
	 * The oldest request not taken yet, waiting up to 10 seconds for one.
	 * @return the request
	 * @throws AssertionError if none arrives in time
	 */
	public RecordedRequest takeRequest() {
		return takeRequest(Duration.ofSeconds(10));
	}

	/**
	 * The oldest request not taken yet, waiting up to {@code timeout} for one.
	 * @param timeout how long to wait
	 * @return the request
	 * @throws AssertionError if none arrives in time
	 */
	public RecordedRequest takeRequest(Duration timeout) {
		try {
			RecordedRequest request = this.unread.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (request == null) {
				throw new AssertionError("No request within " + timeout);
			}
			return request;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a request", ex);
		}
	}

	// Serving

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			RecordedRequest request = record(exchange);
			Response response;
			try {
				response = respond(request);
			}
			catch (RuntimeException ex) {
				response = json(500, error("server_error", null, "OpenAiMockServer failed: " + ex));
			}
			send(exchange, response);
		}
	}

	private RecordedRequest record(HttpExchange exchange) throws IOException {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
				exchange.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers), body);
		this.requests.add(request);
		this.unread.add(request);
		return request;
	}

	private Response respond(RecordedRequest request) {
		Queue<Function<RecordedRequest, Response>> queue = this.scripts.get(request.path());
		Function<RecordedRequest, Response> script = (queue != null) ? queue.poll() : null;
		if (script != null) {
			return script.apply(request);
		}
		if (!"POST".equals(request.method())
				&& (CHAT_COMPLETIONS.equals(request.path()) || EMBEDDINGS.equals(request.path()))) {
			return json(405, error("invalid_request_error", null, "Method not allowed: " + request.method()));
		}
		return switch (request.path()) {
			case CHAT_COMPLETIONS -> defaultChat(request);
			case EMBEDDINGS -> embedding(request, DEFAULT_EMBEDDING_DIMENSIONS, 2);
			default -> json(404, error("invalid_request_error", "unknown_url",
					"Unknown request URL: " + request.method() + " " + request.path()));
		};
	}

	private Response defaultChat(RecordedRequest request) {
		String model = requestedModel(request);
		if (request.jsonBody().path("stream").asBoolean(false)) {
			String id = completionId();
			long created = created();
			boolean includeUsage = includeUsage(request);
			ObjectNode delta = JSON.createObjectNode().put("role", "assistant").put("content", DEFAULT_CHAT_CONTENT);
			List<String> events = new ArrayList<>();
			events.add(chunk(id, created, model, delta, null, includeUsage));
			events.add(chunk(id, created, model, JSON.createObjectNode(), "stop", includeUsage));
			if (includeUsage) {
				events.add(usageChunk(id, created, model, usage(9, 6, 0)));
			}
			return stream(events, Duration.ZERO);
		}
		ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", DEFAULT_CHAT_CONTENT);
		message.putNull("refusal");
		message.putArray("annotations");
		return json(200, completion(message, "stop", model, usage(9, 6, 0)));
	}

	private void send(HttpExchange exchange, Response response) throws IOException {
		exchange.getResponseHeaders().set("x-request-id", "req_" + UUID.randomUUID().toString().replace("-", ""));
		exchange.getResponseHeaders().set("openai-version", "2020-10-01");
		exchange.getResponseHeaders().set("openai-processing-ms", "42");
		exchange.getResponseHeaders().set("x-ratelimit-limit-requests", "10000");
		exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", "9999");
		response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
		if (!response.streamed) {
			byte[] bytes = String.join("", response.parts).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(response.status, (bytes.length > 0) ? bytes.length : -1);
			if (bytes.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
			return;
		}
		exchange.sendResponseHeaders(response.status, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			for (String part : response.parts) {
				sleep(response.delay);
				out.write(part.getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
		}
		catch (IOException ex) {
			// The client went away mid-stream (cancelled subscription): nothing to do.
		}
	}

	private static void sleep(Duration delay) {
		if (delay.isZero() || delay.isNegative()) {
			return;
		}
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// JSON

	private ObjectNode completion(ObjectNode message, String finishReason, String model, ObjectNode usage) {
		ObjectNode completion = JSON.createObjectNode();
		completion.put("id", completionId()).put("object", "chat.completion").put("created", created());
		completion.put("model", model);
		ObjectNode choice = completion.putArray("choices").addObject();
		choice.put("index", 0);
		choice.set("message", message);
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		completion.set("usage", usage);
		completion.put("service_tier", "default");
		completion.put("system_fingerprint", SYSTEM_FINGERPRINT);
		return completion;
	}

	private static String chunk(String id, long created, String model, ObjectNode delta, String finishReason,
			boolean includeUsage) {
		ObjectNode chunk = chunkEnvelope(id, created, model);
		ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs");
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		else {
			choice.putNull("finish_reason");
		}
		if (includeUsage) {
			chunk.putNull("usage");
		}
		return event(chunk);
	}

	private static String usageChunk(String id, long created, String model, ObjectNode usage) {
		ObjectNode chunk = chunkEnvelope(id, created, model);
		chunk.set("usage", usage);
		return event(chunk);
	}

	private static ObjectNode chunkEnvelope(String id, long created, String model) {
		ObjectNode chunk = JSON.createObjectNode();
		chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
		chunk.put("service_tier", "default").put("system_fingerprint", SYSTEM_FINGERPRINT);
		chunk.putArray("choices");
		return chunk;
	}

	private static String event(JsonNode data) {
		return "data: " + JSON.writeValueAsString(data) + "\n\n";
	}

	private static ObjectNode usage(int promptTokens, int completionTokens, int cachedTokens) {
		ObjectNode usage = JSON.createObjectNode();
		usage.put("prompt_tokens", promptTokens)
			.put("completion_tokens", completionTokens)
			.put("total_tokens", promptTokens + completionTokens);
		usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens).put("audio_tokens", 0);
		usage.putObject("completion_tokens_details")
			.put("reasoning_tokens", 0)
			.put("audio_tokens", 0)
			.put("accepted_prediction_tokens", 0)
			.put("rejected_prediction_tokens", 0);
		return usage;
	}

	private static ObjectNode error(String type, String code, String message) {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", message).put("type", type);
		error.putNull("param");
		if (code != null) {
			error.put("code", code);
		}
		else {
			error.putNull("code");
		}
		return root;
	}

	private static Response embedding(RecordedRequest request, int dimensions, int promptTokens) {
		JsonNode body = request.jsonBody();
		JsonNode input = body.path("input");
		int inputs = input.isArray() ? Math.max(input.size(), 1) : 1;
		boolean base64 = "base64".equals(body.path("encoding_format").asString(""));
		ObjectNode response = JSON.createObjectNode().put("object", "list");
		ArrayNode data = response.putArray("data");
		for (int index = 0; index < inputs; index++) {
			float[] vector = vector(index, dimensions);
			ObjectNode item = data.addObject().put("object", "embedding").put("index", index);
			if (base64) {
				ByteBuffer buffer = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
				for (float value : vector) {
					buffer.putFloat(value);
				}
				item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
			}
			else {
				ArrayNode values = item.putArray("embedding");
				for (float value : vector) {
					values.add(value);
				}
			}
		}
		response.put("model", body.path("model").asString("text-embedding-ada-002"));
		response.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
		return json(200, response);
	}

	/**
	 * A deterministic unit vector.
	 */
	private static float[] vector(int index, int dimensions) {
		float[] vector = new float[dimensions];
		double norm = 0;
		for (int i = 0; i < dimensions; i++) {
			vector[i] = (float) Math.sin(1.0 + index * 31 + i);
			norm += vector[i] * vector[i];
		}
		for (int i = 0; i < dimensions; i++) {
			vector[i] = (float) (vector[i] / Math.sqrt(norm));
		}
		return vector;
	}

	private static Response json(int status, JsonNode body) {
		Response response = new Response(status, List.of(JSON.writeValueAsString(body)), Duration.ZERO, false);
		response.headers.put("Content-Type", "application/json");
		return response;
	}

	private static Response stream(List<String> events, Duration delay) {
		List<String> parts = new ArrayList<>(events);
		parts.add("data: [DONE]\n\n");
		Response response = new Response(200, parts, delay, true);
		response.headers.put("Content-Type", "text/event-stream; charset=utf-8");
		response.headers.put("Cache-Control", "no-cache");
		return response;
	}

	private static boolean includeUsage(RecordedRequest request) {
		return request.jsonBody().path("stream_options").path("include_usage").asBoolean(false);
	}

	private static String requestedModel(RecordedRequest request) {
		return request.jsonBody().path("model").asString(DEFAULT_RESPONSE_MODEL);
	}

	private String completionId() {
		return "chatcmpl-mock" + this.ids.incrementAndGet();
	}

	private static long created() {
		return System.currentTimeMillis() / 1000;
	}

	private static List<String> split(String text, int parts) {
		List<String> result = new ArrayList<>();
		int size = Math.max(1, (text.length() + parts - 1) / parts);
		for (int start = 0; start < text.length(); start += size) {
			result.add(text.substring(start, Math.min(text.length(), start + size)));
		}
		return result;
	}

	private static final class Response {

		private final int status;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> parts;

		private final Duration delay;

		private final boolean streamed;

		private Response(int status, List<String> parts, Duration delay, boolean streamed) {
			this.status = status;
			this.parts = parts;
			this.delay = Objects.requireNonNull(delay);
			this.streamed = streamed;
		}

	}

	/**
	 * A request the server received.
	 *
	 * @param method the HTTP method
	 * @param path the path, e.g. {@code /v1/chat/completions}
	 * @param query the raw query, or {@code null}
	 * @param headers the headers, names lower-cased, looked up case-insensitively
	 * @param body the body as UTF-8 text
	 */
	public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
			String body) {

		/**
		 * The first value of a header.
		 * @param name the header name, any case
		 * @return the value, or {@code null}
		 */
		public String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/**
		 * The body parsed as JSON; a missing node when the body is empty or not JSON.
		 * @return the body as a tree
		 */
		public JsonNode jsonBody() {
			if (this.body.isBlank()) {
				return JSON.missingNode();
			}
			try {
				return JSON.readTree(this.body);
			}
			catch (RuntimeException ex) {
				return JSON.missingNode();
			}
		}

	}

}
