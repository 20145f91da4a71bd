package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the tests of a whole application against {@link OpenAiMockServer} read: the spans
 * its {@link InMemorySpanExporter} bean holds, flushed first, and a tool to call.
 */
public final class TracedApplication {

	private TracedApplication() {
	}

	/**
	 * The spans ended so far, after a flush of the tracer provider.
	 * @param context the application
	 * @return the spans
	 */
	public static List<SpanData> spans(ApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	/**
	 * Waits for a span of the given name and returns the first.
	 * @param context the application
	 * @param name the span name
	 * @return the span
	 */
	public static SpanData awaitSpan(ApplicationContext context, String name) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spans(context)).extracting(SpanData::getName).contains(name));
		return spans(context).stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	/**
	 * Waits for spans of all the given names and returns every span.
	 * @param context the application
	 * @param names the span names
	 * @return the spans
	 */
	public static List<SpanData> awaitSpans(ApplicationContext context, List<String> names) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spans(context)).extracting(SpanData::getName).containsAll(names));
		return spans(context);
	}

	/**
	 * A tool that always answers {@code sunny}.
	 */
	public static class WeatherTools {

		@Tool(description = "Current weather in a city")
		public String currentWeather(String city) {
			return "sunny";
		}

	}

}
