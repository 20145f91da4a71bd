package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Helpers of the end-to-end tests: posting questions, reading the finished spans and
 * scraping the Prometheus endpoint.
 */
final class TestTraces {

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost.amount");

	static final String CHAT_SPAN = "chat " + LocalExtractiveChatModel.MODEL;

	static final String TOOL_SPAN = "execute_tool countDocuments";

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

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

	/**
	 * Posts a question for a tenant, named in the W3C baggage header as a calling service
	 * or a gateway would.
	 * @param port the application's port
	 * @param tenant the baggage's {@code tenant.id}
	 * @param json the request body
	 * @return the response
	 */
	static HttpResponse<String> askFor(int port, String tenant, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/ask"))
			.header("Content-Type", "application/json")
			.header("baggage", "tenant.id=" + tenant)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> get(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Posts a question to the stream endpoint, in the given trace.
	 * @param port the application's port
	 * @param json the request body
	 * @param traceId id of the trace the request belongs to (a W3C traceparent header)
	 * @return the response, the events unparsed
	 */
	static HttpResponse<String> stream(int port, String json, String traceId) throws Exception {
		return http.send(streamRequest(port, json, traceId).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Posts a question for a tenant (the W3C baggage header's {@code tenant.id}) to the
	 * stream endpoint, in the given trace.
	 * @param port the application's port
	 * @param tenant the baggage's {@code tenant.id}
	 * @param json the request body
	 * @param traceId id of the trace the request belongs to
	 * @return the response, the events unparsed
	 */
	static HttpResponse<String> streamFor(int port, String tenant, String json, String traceId) throws Exception {
		return http.send(streamRequest(port, json, traceId).header("baggage", "tenant.id=" + tenant).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder streamRequest(int port, String json, String traceId) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/ask/stream"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.header("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01")
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	/**
	 * The samples of {@code /actuator/prometheus}, by name and labels as Prometheus writes
	 * them (for example {@code agent_requests_total{agent="rag",outcome="success"}}),
	 * exemplars left out.
	 * @param port the application's port
	 * @return the samples' values
	 */
	static Map<String, Double> scrape(int port) throws Exception {
		HttpResponse<String> response = get(port, "/actuator/prometheus");
		String type = response.headers().firstValue("Content-Type").orElse("");
		if (response.statusCode() != 200 || !type.startsWith("text/plain")) {
			throw new AssertionError("The scrape answered " + response.statusCode() + " " + type);
		}
		Map<String, Double> samples = new HashMap<>();
		for (String line : response.body().split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			String withoutExemplar = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
			Matcher matcher = SAMPLE.matcher(withoutExemplar);
			if (!matcher.matches()) {
				throw new AssertionError("Not a Prometheus sample: " + line);
			}
			samples.put(matcher.group(1) + ((matcher.group(2) != null) ? matcher.group(2) : ""),
					Double.parseDouble(matcher.group(3)));
		}
		return samples;
	}

	/**
	 * The server-sent events of a stream's body, in order, read as the SSE specification
	 * reads them: one leading space of a data line dropped, the data lines joined with
	 * line breaks.
	 */
	static List<Event> events(String body) {
		List<Event> events = new ArrayList<>();
		for (String block : body.split("\\R\\R")) {
			String name = "message";
			List<String> data = new ArrayList<>();
			for (String line : block.lines().toList()) {
				if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					String value = line.substring(5);
					data.add(value.startsWith(" ") ? value.substring(1) : value);
				}
			}
			if (!block.isBlank()) {
				events.add(new Event(name, String.join("\n", data)));
			}
		}
		return events;
	}

	static String randomHex(int length) {
		StringBuilder hex = new StringBuilder();
		while (hex.length() < length) {
			hex.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 16)));
		}
		return hex.toString();
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

	/**
	 * A server-sent event.
	 *
	 * @param name the event's name, {@code message} when it has none
	 * @param data its data, the lines joined
	 */
	record Event(String name, String data) {
	}

}
