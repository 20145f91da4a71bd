package io.github.agentobservability.compatibility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.github.agentobservability.compatibility.SpanRecording.RecordedSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Asks an application over HTTP and reads the trace it exported.
 */
public final class Traces {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Traces() {
	}

	public static String get(ConfigurableApplicationContext context, String path)
			throws IOException, InterruptedException {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("status of GET " + path).isEqualTo(200);
		return response.body();
	}

	/**
	 * Sends GET requests for all paths at once and returns their bodies, in the order of
	 * the paths, once every response is complete.
	 */
	public static List<String> getTogether(ConfigurableApplicationContext context, List<String> paths) {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		List<CompletableFuture<HttpResponse<String>>> responses = paths.stream()
			.map((path) -> client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString()))
			.toList();
		return responses.stream().map(CompletableFuture::join).map((response) -> {
			assertThat(response.statusCode()).as("status of GET " + response.uri()).isEqualTo(200);
			return response.body();
		}).toList();
	}

	/**
	 * Waits until {@code count} spans have ended, then asserts that they form one trace
	 * with a single root and returns them.
	 */
	public static List<SpanData> oneTrace(ConfigurableApplicationContext context, int count) {
		RecordedSpans exporter = context.getBean(RecordedSpans.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> exporter.all().size() >= count);
		List<SpanData> spans = exporter.all();
		Set<String> traceIds = spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
		assertThat(traceIds).as("trace ids of " + names(spans)).hasSize(1);
		assertThat(spans.stream().filter((span) -> !span.getParentSpanContext().isValid()))
			.as("roots of " + names(spans))
			.hasSize(1);
		return spans;
	}

	/**
	 * Waits until {@code count} spans have ended, then returns them grouped by trace, each
	 * trace asserted to have a single root.
	 */
	public static Collection<List<SpanData>> traces(ConfigurableApplicationContext context, int count) {
		RecordedSpans exporter = context.getBean(RecordedSpans.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> exporter.all().size() >= count);
		List<SpanData> spans = exporter.all();
		Collection<List<SpanData>> traces = spans.stream()
			.collect(Collectors.groupingBy(SpanData::getTraceId))
			.values();
		assertThat(traces).as("traces of " + names(spans))
			.allSatisfy((trace) -> assertThat(trace.stream().filter((span) -> !span.getParentSpanContext().isValid()))
				.as("roots of " + names(trace))
				.hasSize(1));
		return traces;
	}

	public static SpanData named(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span '" + name + "' in " + names(spans)));
	}

	public static SpanData server(List<SpanData> spans, String path) {
		return spans.stream()
			.filter((span) -> span.getKind() == SpanKind.SERVER && span.getName().endsWith(path))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No server span for " + path + " in " + names(spans)));
	}

	public static SpanData client(List<SpanData> spans) {
		return spans.stream()
			.filter((span) -> span.getKind() == SpanKind.CLIENT)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No client span in " + names(spans)));
	}

	/**
	 * Asks {@code /greet}, whose {@code @Traced} method {@code greet.remote} calls
	 * {@code /hello} over HTTP, and asserts that the request, the traced method, the
	 * outgoing call and the downstream request are one tree, with nothing left current.
	 */
	public static void assertGreetIsOneTree(ConfigurableApplicationContext context)
			throws IOException, InterruptedException {
		assertThat(get(context, "/greet?name=ada")).isEqualTo("hello ada");
		List<SpanData> spans = oneTrace(context, 4);
		SpanData server = server(spans, "/greet");
		SpanData traced = named(spans, "greet.remote");
		SpanData client = client(spans);
		assertChildOf(traced, server);
		assertChildOf(client, traced);
		assertChildOf(server(spans, "/hello"), client);
		Apps.assertNothingCurrent(context);
	}

	public static void assertChildOf(SpanData child, SpanData parent) {
		assertThat(child.getParentSpanId()).as(child.getName() + "'s parent").isEqualTo(parent.getSpanId());
	}

	private static Map<String, String> names(List<SpanData> spans) {
		return spans.stream()
			.collect(Collectors.toMap(SpanData::getSpanId,
					(span) -> span.getName() + " <- " + span.getParentSpanId() + " in " + span.getTraceId()));
	}

}
