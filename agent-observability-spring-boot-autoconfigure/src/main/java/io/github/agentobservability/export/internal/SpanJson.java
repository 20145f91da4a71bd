package io.github.agentobservability.export.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jspecify.annotations.Nullable;

/**
 * Renders one {@link SpanData} as a single line of JSON.
 * <p>
 * This is the line format shared by the JSON-lines file and the JSON console output, meant
 * to be read by {@code jq}, notebooks or a later import. Its fields and their order are a
 * contract: {@code trace_id}, {@code span_id}, {@code parent_span_id} ({@code null} for a
 * root), {@code name}, {@code kind}, {@code start_time_unix_nano},
 * {@code end_time_unix_nano}, {@code duration_ms}, {@code status}, {@code status_message},
 * {@code attributes}, {@code events} and {@code resource}. Attribute values keep their
 * JSON type (numbers, booleans, arrays).
 */
public final class SpanJson {

	private static volatile @Nullable RenderedResource lastResource;

	private SpanJson() {
	}

	/**
	 * Returns the JSON line of the given span, without a trailing line separator.
	 * @param span the span to render
	 * @return the JSON line
	 */
	public static String toJson(SpanData span) {
		StringBuilder out = new StringBuilder(512);
		appendTo(out, span);
		return out.toString();
	}

	/**
	 * Appends the JSON line of the given span, without a trailing line separator, so that
	 * a caller can reuse one builder for many spans.
	 * @param out the builder to append to
	 * @param span the span to render
	 */
	public static void appendTo(StringBuilder out, SpanData span) {
		JsonWriter json = new JsonWriter(out);
		json.beginObject();
		json.name("trace_id").value(span.getTraceId());
		json.name("span_id").value(span.getSpanId());
		json.name("parent_span_id");
		if (span.getParentSpanContext().isValid()) {
			json.value(span.getParentSpanId());
		}
		else {
			json.nullValue();
		}
		json.name("name").value(span.getName());
		json.name("kind").value(span.getKind().name());
		json.name("start_time_unix_nano").value(span.getStartEpochNanos());
		json.name("end_time_unix_nano").value(span.getEndEpochNanos());
		json.name("duration_ms").value((span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
		json.name("status").value(span.getStatus().getStatusCode().name());
		json.name("status_message").value(span.getStatus().getDescription());
		json.name("attributes");
		appendAttributes(json, span.getAttributes());
		json.name("events").beginArray();
		for (EventData event : span.getEvents()) {
			json.beginObject();
			json.name("name").value(event.getName());
			json.name("time_unix_nano").value(event.getEpochNanos());
			json.name("attributes");
			appendAttributes(json, event.getAttributes());
			json.endObject();
		}
		json.endArray();
		json.name("resource").rawValue(resourceJson(span.getResource()));
		json.endObject();
	}

	/**
	 * The resource is the same for every span of an application, and makes up a good
	 * part of each line: it is serialized once and kept for the next spans.
	 */
	private static String resourceJson(Resource resource) {
		RenderedResource rendered = lastResource;
		if (rendered == null || rendered.resource() != resource) {
			StringBuilder out = new StringBuilder(256);
			appendAttributes(new JsonWriter(out), resource.getAttributes());
			rendered = new RenderedResource(resource, out.toString());
			lastResource = rendered;
		}
		return rendered.json();
	}

	private static void appendAttributes(JsonWriter json, Attributes attributes) {
		json.beginObject();
		attributes.forEach((key, value) -> json.name(key.getKey()).attributeValue(value));
		json.endObject();
	}

	private record RenderedResource(Resource resource, String json) {
	}

}
