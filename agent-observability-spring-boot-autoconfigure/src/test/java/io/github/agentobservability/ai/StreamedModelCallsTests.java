package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;

import static io.github.agentobservability.ai.TracedApplication.awaitSpan;
import static io.github.agentobservability.ai.TracedApplication.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streamed model calls through Spring AI's real OpenAI client against
 * {@link OpenAiMockServer}, as a trace shows them: one trace, the HTTP request under its
 * chat span even though OkHttp sends it from its dispatcher thread, the time to first
 * chunk and per chunk for a direct {@code ChatModel.stream()}, and no span the starter
 * made for itself; Spring AI's ChatClient and advisor spans folded unless kept.
 */
class StreamedModelCallsTests extends OpenAiApplicationTests {

	private static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey
		.doubleKey("gen_ai.response.time_to_first_chunk");

	StreamedModelCallsTests() {
		super(TracedApplication.WeatherApplication.class);
	}

	@Test
	void aDirectModelStreamIsOneTraceWithItsRequestUnderItsChatSpanAndItsChunksTimed() {
		this.server.enqueueStream(List.of("Sun", "ny", "."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3,
				Duration.ofMillis(50));
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation ask = Observation.start("ask", registry);
			List<String> pieces;
			try (Observation.Scope scope = ask.openScope()) {
				pieces = context.getBean(ChatModel.class)
					.stream(new Prompt("weather?"))
					.filter((response) -> response.getResult() != null)
					.map((response) -> response.getResult().getOutput().getText())
					.collectList()
					.block(Duration.ofSeconds(10));
			}
			finally {
				ask.stop();
			}
			assertThat(String.join("", pieces)).isEqualTo("Sunny.");
			SpanData chat = awaitSpan(context, "chat gpt-4o-mini");
			SpanData request = awaitSpan(context, "POST");
			SpanData root = awaitSpan(context, "ask");
			assertThat(request.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(request.getParentSpanId()).isEqualTo(chat.getSpanId());
			assertThat(chat.getParentSpanId()).isEqualTo(root.getSpanId());
			assertThat(spans(context)).extracting(SpanData::getTraceId).containsOnly(root.getTraceId());
			assertThat(this.server.takeRequest().header("traceparent")).contains(request.getSpanId());
			// The first chunk came after the server's first delay
			assertThat(chat.getAttributes().get(TIME_TO_FIRST_CHUNK)).isNotNull().isGreaterThanOrEqualTo(0.05);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(meters.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isOne();
				assertThat(meters.get("gen_ai.client.operation.time_per_output_chunk").timer().count())
					.isGreaterThanOrEqualTo(2);
			});
		});
	}

	@Test
	void concurrentStreamsEachHaveTheirRequestUnderTheirOwnChatSpan() {
		for (int i = 0; i < 4; i++) {
			this.server.enqueueStream(List.of("a", "b"), OpenAiMockServerTests.RESPONSE_MODEL, 5, 2,
					Duration.ofMillis(20));
		}
		this.contextRunner.withPropertyValues("agent.observability.content.capture=true").run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			// Subscribed together, so that all four are pending before any request is sent
			Flux.merge(List.of("first question", "second question", "third question", "fourth question")
				.stream()
				.map((question) -> model.stream(new Prompt(question)))
				.toList()).collectList().block(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(spans(context)).filteredOn((span) -> span.getName().equals("POST"))
					.hasSize(4));
			List<SpanData> chats = spans(context).stream()
				.filter((span) -> span.getName().equals("chat gpt-4o-mini"))
				.toList();
			assertThat(chats).hasSize(4);
			assertThat(spans(context)).filteredOn((span) -> span.getName().equals("POST"))
				.allSatisfy((request) -> assertThat(chats)
					.anySatisfy((chat) -> assertThat(request.getParentSpanId()).isEqualTo(chat.getSpanId())))
				.extracting(SpanData::getParentSpanId)
				.doesNotHaveDuplicates();
			// Each request's span is under the chat span of the question the request sent
			for (int i = 0; i < 4; i++) {
				OpenAiMockServer.RecordedRequest sent = this.server.takeRequest();
				String question = sent.body().replaceAll("(?s).*\"(\\w+ question)\".*", "$1");
				SpanData request = spans(context).stream()
					.filter((span) -> sent.header("traceparent").contains(span.getSpanId()))
					.findFirst()
					.orElseThrow();
				SpanData chat = chats.stream()
					.filter((span) -> span.getSpanId().equals(request.getParentSpanId()))
					.findFirst()
					.orElseThrow();
				assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
					.contains(question);
			}
		});
	}

	@Test
	void aModelCallThatIsNotStreamedKeepsItsRequestUnderItsChatSpanAndHasNoChunkTimes() {
		this.server.enqueueChat("Bonjour.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			SpanData chat = awaitSpan(context, "chat gpt-4o-mini");
			assertThat(awaitSpan(context, "POST").getParentSpanId()).isEqualTo(chat.getSpanId());
			assertThat(chat.getAttributes().get(TIME_TO_FIRST_CHUNK)).isNull();
			assertThat(context.getBean(MeterRegistry.class)
				.find("gen_ai.client.operation.time_per_output_chunk")
				.timer()).isNull();
		});
	}

	@Test
	void aChatClientStreamReadsLikeTheAgentsWorkWithoutFrameworkSpans() {
		this.server.enqueueStream(List.of("Sun", "ny."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3);
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TracedApplication.WeatherAgent.class).stream("weather?").collectList().block())
				.containsExactly("Sun", "ny.");
			SpanData agent = awaitSpan(context, "invoke_agent weather");
			SpanData chat = awaitSpan(context, "chat gpt-4o-mini");
			SpanData request = awaitSpan(context, "POST");
			assertThat(chat.getParentSpanId()).isEqualTo(agent.getSpanId());
			assertThat(request.getParentSpanId()).isEqualTo(chat.getSpanId());
			assertThat(spans(context)).extracting(SpanData::getName)
				.containsExactlyInAnyOrder("invoke_agent weather", "chat gpt-4o-mini", "POST");
			assertThat(chat.getAttributes().get(TIME_TO_FIRST_CHUNK)).isNotNull();
		});
	}

	@Test
	void keptFrameworkSpansHaveCleanNamesAndTheStartersAdvisorStillHasNone() {
		this.server.enqueueStream(List.of("Sun", "ny."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3);
		this.contextRunner.withPropertyValues("agent.observability.ai.framework-spans=true").run((context) -> {
			context.getBean(TracedApplication.WeatherAgent.class).stream("weather?").collectList().block();
			SpanData chat = awaitSpan(context, "chat gpt-4o-mini");
			awaitSpan(context, "POST");
			List<String> names = spans(context).stream().map(SpanData::getName).toList();
			assertThat(names).contains("chat_client", "stream")
				.allSatisfy((name) -> assertThat(name).isEqualTo(name.strip()).doesNotContain(" _", "_ "))
				.noneSatisfy((name) -> assertThat(name).containsIgnoringCase("first_chunk"));
			SpanData chatClient = awaitSpan(context, "chat_client");
			assertThat(chatClient.getParentSpanId()).isEqualTo(awaitSpan(context, "invoke_agent weather").getSpanId());
			assertThat(chat.getParentSpanId()).isNotEqualTo(chatClient.getParentSpanId());
		});
	}

}
