package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Helpers of the end-to-end tests: posting questions and reading the finished spans.
 */
final class TestTraces {

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost.amount");

	static final String CHAT_SPAN = "chat " + LocalExtractiveChatModel.MODEL;

	static final String TOOL_SPAN = "execute_tool countDocuments";

	private static final HttpClient http = HttpClient.newHttpClient();

	private TestTraces() {
	}

	static HttpResponse<String> post(int port, String path, String contentType, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> ask(int port, String json) throws Exception {
		return post(port, "/api/ask", "application/json", json);
	}

	static HttpResponse<String> get(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	static List<SpanData> spans(SdkTracerProvider tracerProvider, InMemorySpanExporter exporter) {
		tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
		return exporter.getFinishedSpanItems();
	}

	static List<SpanData> trace(SdkTracerProvider tracerProvider, InMemorySpanExporter exporter, String traceId) {
		return spans(tracerProvider, exporter).stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
	}

	static SpanData named(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span " + name + " in " + names(spans)));
	}

	static List<SpanData> allNamed(List<SpanData> spans, String name) {
		return spans.stream().filter((span) -> span.getName().equals(name)).toList();
	}

	static List<String> names(List<SpanData> spans) {
		return spans.stream().map(SpanData::getName).toList();
	}

	/** Ids of the span's ancestors within the given spans, parent first. */
	static List<String> ancestors(List<SpanData> spans, SpanData span) {
		List<String> ids = new ArrayList<>();
		String parent = span.getParentSpanId();
		while (parent != null && !parent.equals("0000000000000000")) {
			ids.add(parent);
			String current = parent;
			parent = spans.stream()
				.filter((candidate) -> candidate.getSpanId().equals(current))
				.map(SpanData::getParentSpanId)
				.findFirst()
				.orElse(null);
		}
		return ids;
	}

}
