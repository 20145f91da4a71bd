package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;

import static io.github.agentobservability.ai.TracedApplication.awaitSpans;
import static io.github.agentobservability.ai.TracedApplication.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who the work was for, through Spring AI's real OpenAI client against
 * {@link OpenAiMockServer}: the chat memory's conversation id on every span of a call and
 * of a stream with a tool round trip, a conversation the application names itself on the
 * run's model and tool spans too, and baggage fields on every span.
 */
class AttributionTests extends OpenAiApplicationTests {

	private static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");

	private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");

	private static final List<String> SPANS_OF_A_TOOL_ROUND_TRIP = List.of("invoke_agent weather",
			"chat gpt-4o-mini", "execute_tool currentWeather", "chat gpt-4o-mini");

	AttributionTests() {
		super(TracedApplication.WeatherApplication.class);
	}

	@Test
	void theChatMemorysConversationIsOnEverySpanOfACallWithAToolRoundTrip() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			context.getBean(TracedApplication.WeatherAgent.class).askInConversation("Weather in Paris?", "conv-7");
			assertEveryGenAiSpanOfTheRunIsIn(context, "conv-7");
		});
	}

	@Test
	void theChatMemorysConversationIsOnEverySpanOfAStreamWithAToolRoundTrip() {
		this.server.enqueueStreamedToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1",
				OpenAiMockServerTests.RESPONSE_MODEL, 50, 10)
			.enqueueStream(List.of("Sun", "ny."), OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TracedApplication.WeatherAgent.class)
				.streamInConversation("Weather in Paris?", "conv-8")
				.collectList()
				.block()).isNotEmpty();
			assertEveryGenAiSpanOfTheRunIsIn(context, "conv-8");
		});
	}

	@Test
	void aConversationTheApplicationNamesIsOnTheRunsModelAndToolSpans() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			context.getBean(TracedApplication.WeatherAgent.class).askNamingTheConversation("Weather in Paris?", "conv-9");
			assertEveryGenAiSpanOfTheRunIsIn(context, "conv-9");
		});
	}

	/**
	 * Asks the agent, with the weather tool, inside a request span whose baggage names
	 * the tenant {@code acme}, as a request with its {@code baggage} header would.
	 */
	private static void askForAcme(ApplicationContext context) {
		Tracer tracer = context.getBean(Tracer.class);
		io.micrometer.tracing.Span request = tracer.nextSpan().name("request").start();
		try (Tracer.SpanInScope scope = tracer.withSpan(request);
				BaggageInScope tenant = tracer.createBaggageInScope("tenant.id", "acme")) {
			context.getBean(TracedApplication.WeatherAgent.class).askNamingTheConversation("Weather in Paris?", "conv-1");
		}
		finally {
			request.end();
		}
	}

	/** The run's spans but the HTTP request's: the agent's, both model calls' and the tool's. */
	private static void assertEveryGenAiSpanOfTheRunIsIn(ApplicationContext context, String conversationId) {
		assertThat(awaitSpans(context, SPANS_OF_A_TOOL_ROUND_TRIP)).filteredOn((span) -> !span.getName().equals("POST"))
			.allSatisfy((span) -> assertThat(span.getAttributes().get(CONVERSATION_ID)).as(span.getName())
				.isEqualTo(conversationId));
	}

	@Test
	void baggageFieldsAreOnEverySpan() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.withPropertyValues("agent.observability.attribution.baggage=tenant.id",
				"management.tracing.baggage.remote-fields=tenant.id")
			.run((context) -> {
				askForAcme(context);
				List<SpanData> spans = awaitSpans(context, SPANS_OF_A_TOOL_ROUND_TRIP);
				assertThat(spans).filteredOn((span) -> !span.getName().equals("request"))
					.hasSizeGreaterThanOrEqualTo(SPANS_OF_A_TOOL_ROUND_TRIP.size() + 2)
					.allSatisfy((span) -> assertThat(span.getAttributes().get(TENANT)).as(span.getName())
						.isEqualTo("acme"));
			});
	}

	@Test
	void aTenantInTheBaggageTagsTheAgentAndGenAiMetersAndNoneWhenAbsent() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8)
			.enqueueChat("Rainy.", OpenAiMockServerTests.RESPONSE_MODEL, 30, 4);
		this.contextRunner
			.withPropertyValues("agent.observability.attribution.meter-tags=tenant.id",
					"management.tracing.baggage.remote-fields=tenant.id")
			.run((context) -> {
				askForAcme(context);
				context.getBean(TracedApplication.WeatherAgent.class).askWithoutTools("And in Brest?");
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meters
					.get("agent.requests")
					.tags("agent", "weather", "outcome", "success", "tenant.id", "none")
					.counter()
					.count()).isOne());
				assertThat(meters.get("agent.requests")
					.tags("agent", "weather", "outcome", "success", "tenant.id", "acme")
					.counter()
					.count()).isOne();
				assertThat(meters.get("agent.tokens").tags("tenant.id", "acme", "type", "input").counter().count())
					.isEqualTo(120);
				assertThat(meters.get("agent.tokens").tags("tenant.id", "none", "type", "input").counter().count())
					.isEqualTo(30);
				assertThat(meters.get("agent.tokens.cost.usd").tags("tenant.id", "acme").counter().count()).isPositive();
				assertThat(meters.get("agent.tools.calls").tags("tenant.id", "acme").counter().count()).isOne();
				assertThat(meters.get("gen_ai.client.token.usage")
					.tags("tenant.id", "acme", "gen_ai.token.type", "input")
					.summary()).satisfies((usage) -> {
						assertThat(usage.count()).isEqualTo(2);
						assertThat(usage.totalAmount()).isEqualTo(120);
					});
				assertThat(meters.get("gen_ai.client.operation.duration").tags("tenant.id", "acme").timers())
					.hasSize(1);
				// Every series of these meters has the tag, at zero too (the gauge of runs in
				// progress is per agent only)
				assertThat(meters.getMeters()).filteredOn((meter) -> List
					.of("agent.requests", "agent.requests.errors", "agent.request.duration", "agent.tokens",
							"agent.tokens.cost.usd", "agent.tools.calls", "agent.tools.errors", "agent.model.duration")
					.contains(meter.getId().getName()))
					.isNotEmpty()
					.allSatisfy((meter) -> assertThat(meter.getId().getTag("tenant.id")).as(meter.getId().toString())
						.isNotNull());
			});
	}

	@Test
	void aMeterTagThatLooksPerUserFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("agent.observability.attribution.meter-tags=tenant.id,user.id")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.attribution.meter-tags[1]")
				.hasMessageContaining("series per user"));
	}

}
