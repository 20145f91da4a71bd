package io.github.agentobservability.ai.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.openai.http.okhttp.SpringAiOpenAiHttpClient;
import org.springframework.beans.factory.DisposableBean;

/**
 * Customizes the HTTP client of Spring AI's OpenAI models so that a streamed call's
 * request is traced under the call and its chunks are timed: OkHttp's dispatcher gets an
 * executor that hands the call over to the thread sending its request
 * ({@link StreamingChats#dispatcher(ExecutorService)}), and the client a
 * {@link StreamChunkTimer}.
 * <p>
 * The executor is the one OkHttp would create (unbounded, threads named
 * {@code OkHttp Dispatcher-N} and kept a minute), owned by this bean and shut down with
 * the application context: Spring AI leaves the lifecycle of an executor it is given to
 * whoever gave it. Applied first, so that an application's customizer that sets an
 * executor of its own wins, and the hand-over is then off.
 */
public final class OpenAiStreamedCalls implements OpenAiHttpClientBuilderCustomizer, DisposableBean {

	private final StreamingChats streamingChats;

	private final ExecutorService executor = dispatcherExecutor();

	public OpenAiStreamedCalls(StreamingChats streamingChats) {
		this.streamingChats = streamingChats;
	}

	@Override
	public void customize(SpringAiOpenAiHttpClient.Builder builder) {
		builder.dispatcherExecutorService(this.streamingChats.dispatcher(this.executor));
		builder.interceptor(new StreamChunkTimer(this.streamingChats));
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

	private static ExecutorService dispatcherExecutor() {
		AtomicInteger counter = new AtomicInteger(1);
		ThreadFactory threads = (runnable) -> new Thread(runnable, "OkHttp Dispatcher-" + counter.getAndIncrement());
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
	}

}
