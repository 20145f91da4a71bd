package io.github.agentobservability.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.ai.ModelPrice;
import io.github.agentobservability.ai.ModelPricing;
import io.github.agentobservability.ai.OpenAiApplicationTests;
import io.github.agentobservability.ai.TracedApplication;
import io.github.agentobservability.export.ConsoleSpanExporter;
import io.github.agentobservability.tracing.DefaultTracedObservationConvention;
import io.github.agentobservability.tracing.TracedObservationContext;
import io.github.agentobservability.tracing.TracedObservationConvention;
import io.micrometer.common.KeyValues;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.context.ApplicationContext;

import static io.github.agentobservability.ai.TracedApplication.awaitSpan;
import static io.github.agentobservability.ai.TracedApplication.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the README lists as replaceable, replaced by an application bean of its type, in a
 * whole application against the real Spring AI OpenAI client: the starter backs off and
 * the application's piece is the one that shapes the spans.
 */
class ReplaceablePiecesTests extends OpenAiApplicationTests {

	private static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost.amount");

	private static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");

	private static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");

	private static final AttributeKey<String> AGENT_INPUT = AttributeKey.stringKey("agent.input");

	ReplaceablePiecesTests() {
		super(TracedApplication.WeatherApplication.class);
	}

	@Test
	void aPricingSourceOfTheApplicationPricesEveryModelCall() {
		List<String> asked = new CopyOnWriteArrayList<>();
		ModelPricing fromAPriceService = (model) -> {
			asked.add(String.valueOf(model));
			return Optional.of(new ModelPrice(new BigDecimal("1000"), new BigDecimal("2000"), null));
		};
		this.server.enqueueChat("Bonjour.", "gpt-4o-mini-2024-07-18", 70, 8);
		this.contextRunner.withBean(ModelPricing.class, () -> fromAPriceService).run((context) -> {
			assertThat(context).getBean(ModelPricing.class).isSameAs(fromAPriceService);
			ask(context, "Hello?");
			SpanData chat = awaitSpan(context, "chat gpt-4o-mini");
			// 70 input tokens at 1000 USD and 8 output tokens at 2000 USD per million
			assertThat(chat.getAttributes().get(COST)).isEqualTo(0.086);
			assertThat(asked).isNotEmpty();
		});
	}

	@Test
	void aRedactorOfTheApplicationRedactsEverythingContentCaptureRecords() {
		ContentRedactor ownAndBuiltIn = (text) -> ContentRedactor.builtIn(List.of())
			.redact(text)
			.replace("Paris", "[CITY]");
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Il fait beau.", "gpt-4o-mini-2024-07-18", 70, 8);
		this.contextRunner.withBean(ContentRedactor.class, () -> ownAndBuiltIn)
			.withPropertyValues("agent.observability.content.capture=true")
			.run((context) -> {
				context.getBean(TracedApplication.WeatherAgent.class).ask("Weather in Paris? Mail jane.doe@example.com");
				SpanData agent = awaitSpan(context, "invoke_agent weather");
				assertThat(agent.getAttributes().get(AGENT_INPUT))
					.isEqualTo("Weather in [CITY]? Mail [REDACTED:email]");
				SpanData tool = awaitSpan(context, "execute_tool currentWeather");
				assertThat(tool.getAttributes().get(TOOL_ARGUMENTS)).isEqualTo("{\"city\":\"[CITY]\"}");
				assertThat(spans(context)).filteredOn((span) -> span.getName().startsWith("chat "))
					.hasSize(2)
					.allSatisfy((chat) -> assertThat(chat.getAttributes().get(INPUT_MESSAGES)).contains("[CITY]"));
				assertThat(spans(context)).allSatisfy((span) -> assertThat(span.getAttributes().toString())
					.doesNotContain("Paris")
					.doesNotContain("jane.doe"));
			});
	}

	@Test
	void aConventionOfTheApplicationNamesTracedSpansAndAddsAttributes() {
		this.server.enqueueChat("Beau.", "gpt-4o-mini-2024-07-18", 70, 8);
		this.contextRunner.withBean(TracedObservationConvention.class, TeamConvention::new).run((context) -> {
			context.getBean(TracedApplication.WeatherAgent.class).ask("Weather?");
			SpanData agent = awaitSpan(context, "team-ai invoke_agent weather");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("team"))).isEqualTo("ai");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name"))).isEqualTo("weather");
		});
	}

	@Test
	void aConsoleProcessorOfTheApplicationReplacesTheStarters() {
		List<String> printed = new CopyOnWriteArrayList<>();
		this.server.enqueueChat("Beau.", "gpt-4o-mini-2024-07-18", 70, 8);
		this.contextRunner.withPropertyValues("agent.observability.exporters.console.enabled=true")
			.withBean("agentObservabilityConsoleSpanProcessor", SpanProcessor.class,
					() -> SimpleSpanProcessor.create(new ConsoleSpanExporter(ConsoleSpanExporter.Format.TREE,
							(line) -> printed.add("[own] " + line))))
			.run((context) -> {
				assertThat(context).getBeans(SpanProcessor.class)
					.containsKey("agentObservabilityConsoleSpanProcessor")
					.hasEntrySatisfying("agentObservabilityConsoleSpanProcessor",
							(processor) -> assertThat(processor).isInstanceOf(SimpleSpanProcessor.class));
				context.getBean(TracedApplication.WeatherAgent.class).ask("Weather?");
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(printed).anySatisfy(
							(tree) -> assertThat(tree).startsWith("[own] trace ").contains("invoke_agent weather")));
			});
	}

	private static void ask(ApplicationContext context, String question) {
		context.getBean(ChatClient.Builder.class).build().prompt().user(question).call().content();
	}

	static class TeamConvention extends DefaultTracedObservationConvention {

		@Override
		public String getContextualName(TracedObservationContext context) {
			return "team-ai " + super.getContextualName(context);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(TracedObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "ai");
		}

	}

}
