package io.github.agentobservability.export.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jspecify.annotations.Nullable;

/**
 * Formats the spans of one trace as an indented tree, one line per span, for a developer
 * reading a console.
 * <p>
 * Each line shows the span name, its duration, its status (with the status message and the
 * recorded exception when it failed) and its attributes, usage, cost and retrieval ones
 * first, minus those that repeat the span name or describe the framework
 * ({@code spring.ai.*}, {@code code.*}, the tutorial's {@code llm.*} twins). Children are
 * sorted by start time; spans whose parent is not among the given spans are shown at the
 * top level.
 */
public final class TraceTreeFormatter {

	private static final int MAX_TEXT_LENGTH = 80;

	/**
	 * Attributes that repeat the span name or another attribute, or describe the
	 * framework rather than the work: left out so that a trace fits on a screen.
	 */
	private static final String[] NOISY_KEY_PREFIXES = { "code.", "thread.", "spring.ai.", "llm.", "gen_ai.system",
			"gen_ai.operation.name", "gen_ai.request.", "gen_ai.response.id", "gen_ai.usage.cost.currency",
			"exception", "outcome", "method", "uri" };

	/** Attributes shown first: what a developer looks for in a trace of an agent. */
	private static final String[] KEY_PREFIXES = { "gen_ai.usage.", "gen_ai.response.time_to_first_chunk",
			"retrieval.", "error.", "gen_ai.tool.name" };

	private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

	private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

	private static final Comparator<SpanData> BY_START_TIME = Comparator.comparingLong(SpanData::getStartEpochNanos);

	private TraceTreeFormatter() {
	}

	/**
	 * Formats the given spans of one trace.
	 * @param traceId the trace id shown in the header line
	 * @param marker a word shown in parentheses after the header, such as
	 * {@code incomplete}, or {@code null}
	 * @param spans the spans to show
	 * @return the multi-line text, without a trailing line separator
	 */
	public static String format(String traceId, @Nullable String marker, Collection<SpanData> spans) {
		StringBuilder out = new StringBuilder(128 * (spans.size() + 1));
		out.append("trace ").append(traceId);
		if (marker != null) {
			out.append(" (").append(marker).append(')');
		}
		Set<String> spanIds = new HashSet<>();
		for (SpanData span : spans) {
			spanIds.add(span.getSpanId());
		}
		Map<String, List<SpanData>> children = new HashMap<>();
		List<SpanData> roots = new ArrayList<>();
		for (SpanData span : spans) {
			if (spanIds.contains(span.getParentSpanId())) {
				children.computeIfAbsent(span.getParentSpanId(), (parentId) -> new ArrayList<>()).add(span);
			}
			else {
				roots.add(span);
			}
		}
		appendSiblings(out, roots, children, "");
		return out.toString();
	}

	private static void appendSiblings(StringBuilder out, List<SpanData> siblings, Map<String, List<SpanData>> children,
			String indent) {
		siblings.sort(BY_START_TIME);
		for (int i = 0; i < siblings.size(); i++) {
			SpanData span = siblings.get(i);
			boolean last = i == siblings.size() - 1;
			out.append('\n').append(indent).append(last ? "└─ " : "├─ ");
			appendSpan(out, span);
			List<SpanData> spanChildren = children.get(span.getSpanId());
			if (spanChildren != null) {
				appendSiblings(out, spanChildren, children, indent + (last ? "   " : "│  "));
			}
		}
	}

	private static void appendSpan(StringBuilder out, SpanData span) {
		double durationMs = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6;
		out.append(text(span.getName()));
		out.append(String.format(Locale.ROOT, "  %.1f ms  ", durationMs));
		out.append(span.getStatus().getStatusCode().name());
		if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
			appendFailure(out, span);
		}
		List<Map.Entry<AttributeKey<?>, Object>> shown = new ArrayList<>(span.getAttributes().asMap().entrySet());
		shown.removeIf((entry) -> isNoisy(entry.getKey().getKey()));
		shown.sort(Comparator.comparing((Map.Entry<AttributeKey<?>, Object> entry) -> !isKey(entry.getKey().getKey()))
			.thenComparing((entry) -> entry.getKey().getKey()));
		for (Map.Entry<AttributeKey<?>, Object> entry : shown) {
			out.append("  ").append(entry.getKey().getKey()).append('=').append(attributeValue(entry.getValue()));
		}
	}

	private static void appendFailure(StringBuilder out, SpanData span) {
		String description = span.getStatus().getDescription();
		if (!description.isEmpty()) {
			out.append(" (").append(text(description)).append(')');
		}
		for (EventData event : span.getEvents()) {
			if ("exception".equals(event.getName())) {
				String type = event.getAttributes().get(EXCEPTION_TYPE);
				String message = event.getAttributes().get(EXCEPTION_MESSAGE);
				out.append("  ").append(text((type != null) ? type : "exception"));
				if (message != null) {
					out.append(": ").append(text(message));
				}
				return;
			}
		}
	}

	/**
	 * An attribute's value as it reads in the tree, its type visible: a string that would
	 * read as a number or a boolean (or is empty) is quoted ({@code "3"} against {@code 3}), so
	 * that an attribute recorded with the wrong type shows in development.
	 */
	private static String attributeValue(Object value) {
		if (value instanceof String string) {
			return readsAsAnotherType(string) ? '"' + text(string) + '"' : text(string);
		}
		if (value instanceof Double number && Double.isFinite(number)) {
			// Costs and scores read better as 0.000179 than as 1.79E-4
			return BigDecimal.valueOf(number).toPlainString();
		}
		if (value instanceof List<?> list) {
			StringBuilder out = new StringBuilder("[");
			for (Object element : list) {
				out.append((out.length() > 1) ? ", " : "").append(attributeValue(element));
			}
			return out.append(']').toString();
		}
		return String.valueOf(value);
	}

	private static boolean readsAsAnotherType(String value) {
		if (value.isEmpty() || value.equals("true") || value.equals("false")) {
			return true;
		}
		char first = value.charAt(0);
		if (!(Character.isDigit(first) || first == '-' || first == '.')) {
			return false;
		}
		try {
			Double.parseDouble(value);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private static boolean isKey(String key) {
		for (String prefix : KEY_PREFIXES) {
			if (key.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isNoisy(String key) {
		for (String prefix : NOISY_KEY_PREFIXES) {
			if (key.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Keeps free text on one line and short: control characters become spaces and text
	 * longer than {@value #MAX_TEXT_LENGTH} characters is cut with an ellipsis.
	 */
	private static String text(String value) {
		int length = value.length();
		if (length > MAX_TEXT_LENGTH) {
			length = MAX_TEXT_LENGTH;
			if (Character.isHighSurrogate(value.charAt(length - 1))) {
				length--;
			}
		}
		StringBuilder text = new StringBuilder(length + 1);
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			text.append(Character.isISOControl(c) ? ' ' : c);
		}
		if (length < value.length()) {
			text.append('…');
		}
		return text.toString();
	}

}
