package io.github.agentobservability.ai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.agentobservability.export.internal.JsonWriter;
import org.jspecify.annotations.Nullable;

/**
 * Records a tool call's arguments or result as the JSON value the text holds, not as a
 * string of JSON, with the guarantees of every recorded text: each string of it (member
 * names included) and each number passed through the sanitizer, and the whole cut to the
 * sanitizer's limit so that it stays valid JSON whatever the content.
 * <p>
 * Exists because the GenAI conventions expect arguments and results to be objects that
 * an instrumentation with a serialized string "SHOULD do the best effort to deserialize",
 * while the sanitizer works on text: applied to the JSON text it would put markers inside
 * escapes or cut a value in half. So the value is parsed, each string and number is
 * sanitized on its own (a number the sanitizer changes, a card number say, becomes the
 * string it returns), and the sanitizer is then asked about the sanitized value's compact
 * JSON: if it keeps it as it is, that JSON is recorded; if it cuts it (or still finds
 * something to redact), the value is written again up to the first character it changed,
 * the string at the cut keeping what fits followed by {@code …[truncated N chars]}, the
 * value (or member) at the cut replaced by that marker, and the open arrays and objects
 * closed. The limit is thus the sanitizer's own, applied to the whole value as to a plain
 * text without being known here, and nothing past the first change is recorded. A text
 * that is not JSON (or nests deeper than {@value #MAX_DEPTH} levels) is sanitized as a
 * text.
 * <p>
 * Parsed here rather than with a JSON library, so that the starter forces none on the
 * application; strings are escaped by {@link JsonWriter}.
 */
public final class JsonContent {

	/** Deeper texts are recorded as texts, so that recursion here stays shallow. */
	public static final int MAX_DEPTH = 64;

	private JsonContent() {
	}

	/**
	 * Returns the value of a text as JSON to embed in a larger document: the JSON the text
	 * holds, sanitized, or, if it holds none, the sanitized text as a JSON string.
	 * @param text the arguments or result
	 * @param sanitizer redacts and truncates
	 * @return a JSON value
	 */
	public static String toJson(String text, UnaryOperator<String> sanitizer) {
		Object value = parse(text);
		if (value != null) {
			return sanitized(value, sanitizer);
		}
		StringBuilder json = new StringBuilder(text.length() + 2);
		new JsonWriter(json).value(sanitizer.apply(text));
		return json.toString();
	}

	/**
	 * Returns a text as recorded on its own: the JSON it holds, sanitized, or, if it holds
	 * none, the sanitized text as it is.
	 * @param text the arguments or result
	 * @param sanitizer redacts and truncates
	 * @return the JSON, or the text
	 */
	public static String toText(String text, UnaryOperator<String> sanitizer) {
		Object value = parse(text);
		return (value != null) ? sanitized(value, sanitizer) : sanitizer.apply(text);
	}

	/**
	 * Parses a JSON text (RFC 8259).
	 * @param text the text
	 * @return the value: a {@link String}, {@link Literal}, {@link JsonArray} or
	 * {@link JsonObject}; {@code null} if the text is not JSON or nests too deep
	 */
	public static @Nullable Object parse(String text) {
		try {
			return new Parser(text).parse();
		}
		catch (NotJson ex) {
			return null;
		}
	}

	private static String sanitized(Object value, UnaryOperator<String> sanitizer) {
		Object sanitized = sanitize(value, sanitizer);
		String compact = new Writer(Integer.MAX_VALUE, 0).write(sanitized);
		String checked = sanitizer.apply(compact);
		if (checked.equals(compact)) {
			return compact;
		}
		int kept = 0;
		int common = Math.min(compact.length(), checked.length());
		while (kept < common && compact.charAt(kept) == checked.charAt(kept)) {
			kept++;
		}
		// The marker counts what was cut of the value as it was, not as sanitized
		int total = new Writer(Integer.MAX_VALUE, 0).write(value).length();
		return new Writer(kept, total).write(sanitized);
	}

	private static Object sanitize(Object value, UnaryOperator<String> sanitizer) {
		if (value instanceof String string) {
			return sanitizer.apply(string);
		}
		if (value instanceof Literal literal) {
			if (!literal.number()) {
				return literal;
			}
			String sanitized = sanitizer.apply(literal.text());
			return sanitized.equals(literal.text()) ? literal : sanitized;
		}
		if (value instanceof JsonArray array) {
			List<Object> elements = new ArrayList<>(array.elements().size());
			for (Object element : array.elements()) {
				elements.add(sanitize(element, sanitizer));
			}
			return new JsonArray(elements);
		}
		JsonObject object = (JsonObject) value;
		List<Member> members = new ArrayList<>(object.members().size());
		for (Member member : object.members()) {
			members.add(new Member(sanitizer.apply(member.name()), sanitize(member.value(), sanitizer)));
		}
		return new JsonObject(members);
	}

	private static String marker(int omitted) {
		return "…[truncated " + Math.max(omitted, 1) + " chars]";
	}

	/**
	 * A number, {@code true}, {@code false} or {@code null}, as written in the text.
	 */
	record Literal(String text, boolean number) {
	}

	record JsonArray(List<Object> elements) {
	}

	record JsonObject(List<Member> members) {
	}

	record Member(String name, Object value) {
	}

	/**
	 * Writes a parsed value as compact JSON, up to a limit of characters: the string at
	 * the limit keeps what fits and ends with the marker, a value at the limit is replaced
	 * by the marker, a member whose name does not fit by {@code "…":} and the marker, and
	 * nothing after it is written but the closing brackets. Nothing of the value past the
	 * limit is written, so that a cut made where the sanitizer changed the text leaves
	 * out what it changed.
	 */
	private static final class Writer {

		private final StringBuilder out = new StringBuilder(256);

		private final int limit;

		private final int total;

		private boolean cut;

		/**
		 * @param limit the characters to keep
		 * @param total the length of the value's compact JSON, to say about how much was
		 * cut
		 */
		Writer(int limit, int total) {
			this.limit = limit;
			this.total = total;
		}

		String write(Object value) {
			value(value);
			return this.out.toString();
		}

		private void value(Object value) {
			if (this.out.length() >= this.limit) {
				marker();
			}
			else if (value instanceof String string) {
				string(string);
			}
			else if (value instanceof Literal literal) {
				if (this.out.length() + literal.text().length() > this.limit) {
					marker();
				}
				else {
					this.out.append(literal.text());
				}
			}
			else if (value instanceof JsonArray array) {
				this.out.append('[');
				List<Object> elements = array.elements();
				for (int i = 0; i < elements.size() && !this.cut; i++) {
					if (i > 0) {
						this.out.append(',');
					}
					value(elements.get(i));
				}
				this.out.append(']');
			}
			else {
				this.out.append('{');
				List<Member> members = ((JsonObject) value).members();
				for (int i = 0; i < members.size() && !this.cut; i++) {
					if (i > 0) {
						this.out.append(',');
					}
					int start = this.out.length();
					new JsonWriter(this.out).value(members.get(i).name());
					if (this.out.length() + 1 > this.limit) {
						this.out.setLength(start);
						int written = this.out.length();
						this.out.append("\"…\":");
						marker(written);
					}
					else {
						this.out.append(':');
						value(members.get(i).value());
					}
				}
				this.out.append('}');
			}
		}

		private void string(String string) {
			int start = this.out.length();
			new JsonWriter(this.out).value(string);
			if (this.out.length() <= this.limit) {
				return;
			}
			this.out.setLength(start);
			new JsonWriter(this.out).value(string.substring(0, fitting(string, this.limit - start - 1)));
			// Reopened to append the marker, which needs no escaping
			this.out.setLength(this.out.length() - 1);
			this.out.append(JsonContent.marker(this.total - this.out.length())).append('"');
			this.cut = true;
		}

		private void marker() {
			marker(this.out.length());
		}

		/**
		 * Writes the marker as the next value, {@code written} chars of the value's JSON
		 * having been written.
		 */
		private void marker(int written) {
			new JsonWriter(this.out).value(JsonContent.marker(this.total - written));
			this.cut = true;
		}

		/**
		 * Returns how many chars of a string fit in the given room once escaped as
		 * {@link JsonWriter} escapes them, a surrogate pair never split.
		 */
		private static int fitting(String string, int room) {
			int used = 0;
			int index = 0;
			while (index < string.length()) {
				char c = string.charAt(index);
				boolean pair = Character.isHighSurrogate(c) && index + 1 < string.length()
						&& Character.isLowSurrogate(string.charAt(index + 1));
				int escaped = pair ? 2 : escapedLength(c);
				if (used + escaped > room) {
					break;
				}
				used += escaped;
				index += pair ? 2 : 1;
			}
			return index;
		}

		private static int escapedLength(char c) {
			if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
				return 2;
			}
			return (c < 0x20 || Character.isSurrogate(c)) ? 6 : 1;
		}

	}

	/**
	 * A strict RFC 8259 parser: anything else, trailing text included, is not JSON.
	 */
	private static final class Parser {

		private final String text;

		private int index;

		private int depth;

		Parser(String text) {
			this.text = text;
		}

		public Object parse() {
			Object value = value();
			skipWhitespace();
			if (this.index != this.text.length()) {
				throw NotJson.INSTANCE;
			}
			return value;
		}

		private Object value() {
			skipWhitespace();
			if (this.index >= this.text.length()) {
				throw NotJson.INSTANCE;
			}
			return switch (this.text.charAt(this.index)) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true");
				case 'f' -> literal("false");
				case 'n' -> literal("null");
				default -> number();
			};
		}

		private JsonObject object() {
			enter();
			List<Member> members = new ArrayList<>();
			skipWhitespace();
			if (!consume('}')) {
				do {
					skipWhitespace();
					if (this.index >= this.text.length() || this.text.charAt(this.index) != '"') {
						throw NotJson.INSTANCE;
					}
					String name = string();
					skipWhitespace();
					expect(':');
					members.add(new Member(name, value()));
					skipWhitespace();
				}
				while (consume(','));
				expect('}');
			}
			this.depth--;
			return new JsonObject(members);
		}

		private JsonArray array() {
			enter();
			List<Object> elements = new ArrayList<>();
			skipWhitespace();
			if (!consume(']')) {
				do {
					elements.add(value());
					skipWhitespace();
				}
				while (consume(','));
				expect(']');
			}
			this.depth--;
			return new JsonArray(elements);
		}

		private void enter() {
			if (++this.depth > MAX_DEPTH) {
				throw NotJson.INSTANCE;
			}
			this.index++;
		}

		private String string() {
			this.index++;
			StringBuilder string = new StringBuilder();
			while (this.index < this.text.length()) {
				char c = this.text.charAt(this.index++);
				if (c == '"') {
					return string.toString();
				}
				if (c < 0x20) {
					throw NotJson.INSTANCE;
				}
				string.append((c == '\\') ? escaped() : c);
			}
			throw NotJson.INSTANCE;
		}

		private char escaped() {
			if (this.index >= this.text.length()) {
				throw NotJson.INSTANCE;
			}
			char c = this.text.charAt(this.index++);
			return switch (c) {
				case '"', '\\', '/' -> c;
				case 'b' -> '\b';
				case 'f' -> '\f';
				case 'n' -> '\n';
				case 'r' -> '\r';
				case 't' -> '\t';
				case 'u' -> unicode();
				default -> throw NotJson.INSTANCE;
			};
		}

		private char unicode() {
			if (this.index + 4 > this.text.length()) {
				throw NotJson.INSTANCE;
			}
			int code = 0;
			for (int i = 0; i < 4; i++) {
				int digit = Character.digit(this.text.charAt(this.index++), 16);
				if (digit < 0) {
					throw NotJson.INSTANCE;
				}
				code = code * 16 + digit;
			}
			return (char) code;
		}

		private Literal literal(String literal) {
			if (!this.text.startsWith(literal, this.index)) {
				throw NotJson.INSTANCE;
			}
			this.index += literal.length();
			return new Literal(literal, false);
		}

		private Literal number() {
			int start = this.index;
			consume('-');
			if (!consume('0')) {
				digits();
			}
			if (consume('.')) {
				digits();
			}
			if (consume('e') || consume('E')) {
				if (!consume('+')) {
					consume('-');
				}
				digits();
			}
			return new Literal(this.text.substring(start, this.index), true);
		}

		private void digits() {
			int start = this.index;
			while (this.index < this.text.length() && this.text.charAt(this.index) >= '0'
					&& this.text.charAt(this.index) <= '9') {
				this.index++;
			}
			if (this.index == start) {
				throw NotJson.INSTANCE;
			}
		}

		private boolean consume(char c) {
			if (this.index < this.text.length() && this.text.charAt(this.index) == c) {
				this.index++;
				return true;
			}
			return false;
		}

		private void expect(char c) {
			if (!consume(c)) {
				throw NotJson.INSTANCE;
			}
		}

		private void skipWhitespace() {
			while (this.index < this.text.length()) {
				char c = this.text.charAt(this.index);
				if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
					return;
				}
				this.index++;
			}
		}

	}

	/**
	 * Thrown by the parser on anything that is not JSON; shared and without a stack trace,
	 * as it only ends parsing.
	 */
	private static final class NotJson extends RuntimeException {

		static final NotJson INSTANCE = new NotJson();

		private NotJson() {
			super("Not JSON", null, false, false);
		}

	}

}
