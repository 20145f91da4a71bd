package io.github.agentobservability.compatibility;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for OpenAI's chat completions endpoint, answering every call with the
 * same completion and usage, for Spring AI's real OpenAI client: as one JSON completion,
 * or, when the request asks for a stream, as server-sent events the way OpenAI sends
 * them, {@value #CHUNK_DELAY_MILLIS} ms apart so that the first chunk's arrival can be
 * measured. Requests are served concurrently.
 */
public final class OpenAiStub implements AutoCloseable {

	/** The content of every answer. */
	public static final String ANSWER = "Sunny.";

	/** The pieces a streamed answer comes in. */
	public static final List<String> STREAMED_PIECES = List.of("Sun", "ny.");

	/** The delay before each event of a streamed answer, the first included. */
	static final long CHUNK_DELAY_MILLIS = 20;

	private static final String MODEL = "gpt-4o-mini-2024-07-18";

	private static final String USAGE = "{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}";

	private static final String COMPLETION = """
			{"id":"chatcmpl-compat","object":"chat.completion","created":1700000000,
			 "model":"%s",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
			 "usage":%s}
			""".formatted(MODEL, ANSWER, USAGE);

	private static final String CHUNK = "data: {\"id\":\"chatcmpl-compat\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1700000000,\"model\":\"" + MODEL + "\",\"choices\":%s,\"usage\":%s}\n\n";

	private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

	private final HttpServer server;

	private final ExecutorService executor;

	private OpenAiStub(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	public static OpenAiStub start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "openai-stub");
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		server.createContext("/v1/chat/completions", (exchange) -> {
			String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			if (STREAM.matcher(request).find()) {
				stream(exchange);
			}
			else {
				complete(exchange);
			}
		});
		server.start();
		return new OpenAiStub(server, executor);
	}

	private static void complete(HttpExchange exchange) throws IOException {
		byte[] body = COMPLETION.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * A streamed completion: a chunk per piece (the first with the role), a chunk with the
	 * finish reason, the usage chunk Spring AI asks for ({@code stream_options.include_usage}),
	 * then {@code [DONE]}, each event flushed on its own.
	 */
	private static void stream(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
		exchange.getResponseHeaders().add("Cache-Control", "no-cache");
		// Length 0: chunked, so that every event reaches the client as it is flushed
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			for (int i = 0; i < STREAMED_PIECES.size(); i++) {
				String role = (i == 0) ? "\"role\":\"assistant\"," : "";
				send(out, CHUNK.formatted("[{\"index\":0,\"delta\":{" + role + "\"content\":\"" + STREAMED_PIECES.get(i)
						+ "\"},\"logprobs\":null,\"finish_reason\":null}]", "null"));
			}
			send(out, CHUNK.formatted("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]",
					"null"));
			send(out, CHUNK.formatted("[]", USAGE));
			send(out, "data: [DONE]\n\n");
		}
		catch (IOException ex) {
			// The client went away mid-stream: nothing to answer
		}
	}

	private static void send(OutputStream out, String event) throws IOException {
		try {
			Thread.sleep(CHUNK_DELAY_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while streaming", ex);
		}
		out.write(event.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	/**
	 * Properties that point Spring AI's OpenAI client here.
	 * @return the properties
	 */
	public String[] properties() {
		return new String[] { "spring.ai.openai.base-url=http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1",
				"spring.ai.openai.chat.model=gpt-4o-mini", "spring.ai.openai.max-retries=0" };
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
