package io.github.agentobservability.export.internal;

import io.github.agentobservability.export.internal.JsonWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonWriter}.
 */
class JsonWriterTests {

	@Test
	void quotesAndBackslashesAreEscaped() {
		assertThat(string("say \"hi\" \\o/")).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
	}

	@Test
	void commonControlCharactersUseTheirShortEscape() {
		assertThat(string("a\nb\rc\td\be\f")).isEqualTo("\"a\\nb\\rc\\td\\be\\f\"");
	}

	@Test
	void otherControlCharactersUseAUnicodeEscape() {
		assertThat(string("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
	}

	@Test
	void surrogatePairIsKeptAsIs() {
		assertThat(string("smile \uD83D\uDE00!")).isEqualTo("\"smile \uD83D\uDE00!\"");
	}

	@Test
	void loneHighSurrogateIsReplaced() {
		assertThat(string("a\uD83Db")).isEqualTo("\"a\\ufffdb\"");
	}

	@Test
	void highSurrogateAtTheEndIsReplaced() {
		assertThat(string("a\uD83D")).isEqualTo("\"a\\ufffd\"");
	}

	@Test
	void loneLowSurrogateIsReplaced() {
		assertThat(string("a\uDE00b")).isEqualTo("\"a\\ufffdb\"");
	}

	@Test
	void nonFiniteDoublesAreNull() {
		StringBuilder out = new StringBuilder();
		new JsonWriter(out).beginArray()
			.value(Double.NaN)
			.value(Double.POSITIVE_INFINITY)
			.value(Double.NEGATIVE_INFINITY)
			.value(1.5)
			.endArray();
		assertThat(out).hasToString("[null,null,null,1.5]");
	}

	@Test
	void membersAndElementsAreSeparatedByCommas() {
		StringBuilder out = new StringBuilder();
		new JsonWriter(out).beginObject()
			.name("a")
			.value(1L)
			.name("b")
			.beginArray()
			.value(true)
			.nullValue()
			.endArray()
			.name("c")
			.beginObject()
			.endObject()
			.endObject();
		assertThat(out).hasToString("{\"a\":1,\"b\":[true,null],\"c\":{}}");
	}

	@Test
	void writingAfterExistingContentAddsNoSeparator() {
		StringBuilder out = new StringBuilder("{\"previous\":1}\n");
		new JsonWriter(out).beginObject().name("next").value(2L).endObject();
		assertThat(out).hasToString("{\"previous\":1}\n{\"next\":2}");
	}

	@Test
	void attributeValuesKeepTheirJsonType() {
		StringBuilder out = new StringBuilder();
		new JsonWriter(out).beginArray()
			.attributeValue("text")
			.attributeValue(42L)
			.attributeValue(0.5)
			.attributeValue(false)
			.attributeValue(List.of(1L, 2L))
			.endArray();
		assertThat(out).hasToString("[\"text\",42,0.5,false,[1,2]]");
	}

	private static String string(String value) {
		StringBuilder out = new StringBuilder();
		new JsonWriter(out).value(value);
		return out.toString();
	}

}
