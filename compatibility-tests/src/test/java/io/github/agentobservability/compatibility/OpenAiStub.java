package io.github.agentobservability.compatibility;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for OpenAI's chat completions endpoint, answering every call with the
 * same completion and usage, for Spring AI's real OpenAI client.
 */
public final class OpenAiStub implements AutoCloseable {

	/** The content of every answer. */
	public static final String ANSWER = "Sunny.";

	private static final String COMPLETION = """
			{"id":"chatcmpl-compat","object":"chat.completion","created":1700000000,
			 "model":"gpt-4o-mini-2024-07-18",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}
			""".formatted(ANSWER);

	private final HttpServer server;

	private OpenAiStub(HttpServer server) {
		this.server = server;
	}

	public static OpenAiStub start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/v1/chat/completions", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			byte[] body = COMPLETION.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return new OpenAiStub(server);
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
	}

}
