package io.github.agentobservability.ai.internal;

import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.openai.http.okhttp.SpringAiOpenAiHttpClient;

/**
 * Customizes the HTTP client of Spring AI's OpenAI models so that the chunks of a
 * streamed call are timed where they arrive: it adds a {@link StreamChunkTimer}.
 */
public final class OpenAiStreamedCalls implements OpenAiHttpClientBuilderCustomizer {

	private final StreamingChats streamingChats;

	public OpenAiStreamedCalls(StreamingChats streamingChats) {
		this.streamingChats = streamingChats;
	}

	@Override
	public void customize(SpringAiOpenAiHttpClient.Builder builder) {
		builder.interceptor(new StreamChunkTimer(this.streamingChats));
	}

}
