package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.ai.internal.ContentTruncator;
import io.github.agentobservability.ai.internal.JsonContent;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link JsonContent}: tool arguments and results recorded as the JSON value
 * they hold, redacted string by string and cut so that they stay valid JSON.
 */
class JsonContentTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ContentRedactor REDACTOR = ContentRedactor.builtIn(List.of());

	private static final UnaryOperator<String> AS_IS = UnaryOperator.identity();

	@Test
	void jsonIsRecordedAsCompactJson() {
		assertThat(JsonContent.toText("{ \"city\" : \"Paris\",\n \"days\": [1, -2.5e3, true, false, null], \"x\": {} }",
				AS_IS))
			.isEqualTo("{\"city\":\"Paris\",\"days\":[1,-2.5e3,true,false,null],\"x\":{}}");
	}

	@Test
	void aJsonStringStaysAJsonString() {
		// Spring AI serializes a tool's String result as JSON
		assertThat(JsonContent.toText("\"sunny\"", AS_IS)).isEqualTo("\"sunny\"");
		assertThat(JsonContent.toJson("\"sunny\"", AS_IS)).isEqualTo("\"sunny\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "rainy, 57°F", "", " ", "{\"a\":1,}", "[1 2]", "01", "1.", "-", ".5", "+1", "tru",
			"nul", "\"open", "{\"a\"}", "{a:1}", "[1]]", "{\"a\":1} trailing", "\"bad \\x escape\"",
			"\"\\u12G4\"", "\"tab\tinside\"", "'single'", "NaN" })
	void aTextThatIsNotJsonIsRecordedAsText(String text) {
		assertThat(JsonContent.toText(text, AS_IS)).isEqualTo(text);
		assertThat(JSON.readTree(JsonContent.toJson(text, AS_IS)).asString()).isEqualTo(text);
	}

	@Test
	void aTextNestedDeeperThanTheLimitIsRecordedAsText() {
		String deepest = "[".repeat(JsonContent.MAX_DEPTH) + "]".repeat(JsonContent.MAX_DEPTH);
		String tooDeep = "[" + deepest + "]";
		assertThat(JsonContent.toText(deepest, AS_IS)).isEqualTo(deepest);
		assertThat(JsonContent.parse(deepest)).isNotNull();
		assertThat(JsonContent.parse(tooDeep)).isNull();
		assertThat(JSON.readTree(JsonContent.toJson(tooDeep, AS_IS)).asString()).isEqualTo(tooDeep);
	}

	@Test
	void eachStringAndMemberNameIsRedactedInsideTheJson() {
		String json = JsonContent.toText("{\"to\":\"jane.doe@example.com\",\"jane@example.com\":\"ok\","
				+ "\"note\":\"say \\\"hi\\\" with key sk-proj-abcdefghijklmnopqrstuvwxyz0123\"}", REDACTOR::redact);
		JsonNode value = JSON.readTree(json);
		assertThat(value.path("to").asString()).isEqualTo("[REDACTED:email]");
		assertThat(value.path("[REDACTED:email]").asString()).isEqualTo("ok");
		assertThat(value.path("note").asString()).isEqualTo("say \"hi\" with key [REDACTED:api-key]");
		assertThat(json).doesNotContain("jane").doesNotContain("sk-proj");
	}

	@Test
	void escapesAreDecodedBeforeRedaction() {
		// \u0040 is '@': redacting the JSON text would miss the address
		String json = JsonContent.toText("{\"to\":\"jane.doe\\u0040example.com\"}", REDACTOR::redact);
		assertThat(JSON.readTree(json).path("to").asString()).isEqualTo("[REDACTED:email]");
	}

	@Test
	void aNumberTheSanitizerChangesBecomesTheStringItReturns() {
		String json = JsonContent.toText("{\"card\":4111111111111111,\"count\":3}", REDACTOR::redact);
		assertThat(json).isEqualTo("{\"card\":\"[REDACTED:card-number]\",\"count\":3}");
	}

	@Test
	void aStringAtTheCutKeepsWhatFitsAndSaysHowMuchWasCut() {
		// The compact JSON is 37 chars; the truncator keeps 20 of them
		assertThat(JsonContent.toText("{\"text\": \"abcdefghijklmnopqrstuvwxyz\"}", new ContentTruncator(20)::truncate))
			.isEqualTo("{\"text\":\"abcdefghijk…[truncated 17 chars]\"}");
	}

	@Test
	void aValueOrMemberAtTheCutIsReplacedByTheMarkerAndTheRestLeftOut() {
		assertThat(JsonContent.toText("[1, 2, 3, 4, 5, 6, 7, 8, 9]", new ContentTruncator(8)::truncate))
			.isEqualTo("[1,2,3,4,\"…[truncated 10 chars]\"]");
		assertThat(JsonContent.toText("{\"a\": 1, \"b\": {\"c\": [true]}}", new ContentTruncator(8)::truncate))
			.isEqualTo("{\"a\":1,\"…\":\"…[truncated 17 chars]\"}");
	}

	@Test
	void whatTheSanitizerWouldRedactOnlyInTheWholeJsonIsCutBeforeIt() {
		// No single number matches; the compact JSON does, from its second char
		UnaryOperator<String> sanitizer = ContentRedactor.builtIn(List.of("1,2"))::redact;
		assertThat(JsonContent.toText("[1, 2, 3]", sanitizer)).isEqualTo("[\"…[truncated 6 chars]\"]");
	}

	@Test
	void loneSurrogatesAreReplacedAndStayValidJson() {
		String json = JsonContent.toText("{\"s\":\"a\\ud800b\"}", AS_IS);
		assertThat(JSON.readTree(json).path("s").asString()).isEqualTo("a\ufffdb");
	}

	@Test
	void everyLimitGivesValidJsonNoLongerThanTheLimitAndTheMarker() {
		String text = "{\"query\": \"Weather in \\\"Paris\\\"\\n\\u0001 today 😀 or jane@example.com\","
				+ " \"days\": [1, 2.5, -3e2, true, null, [\"\\\\\", {\"deep\": \"😀😀😀\"}]],"
				+ " \"nested\": {\"a\": {\"b\": {\"c\": \"end\"}}}, \"last\": 4111111111111111}";
		String whole = JsonContent.toText(text, REDACTOR::redact);
		for (int maxLength = 1; maxLength <= whole.length() + 5; maxLength++) {
			ContentTruncator truncator = new ContentTruncator(maxLength);
			String json = JsonContent.toText(text, (content) -> truncator.truncate(REDACTOR.redact(content)));
			assertThatNoException().as("max-length %d: %s", maxLength, json).isThrownBy(() -> JSON.readTree(json));
			assertThat(JSON.readTree(json).isObject()).as("max-length %d: %s", maxLength, json).isTrue();
			assertThat(json).doesNotContain("jane").doesNotContain("4111");
			if (maxLength >= whole.length() - 1) {
				// The closing brace is not content: a limit that cuts only it cuts nothing
				assertThat(json).isEqualTo(whole);
			}
			else {
				// Past the limit only the marker and the closing brackets
				assertThat(json).contains("…[truncated ").hasSizeLessThanOrEqualTo(maxLength + 40);
			}
		}
	}

}
