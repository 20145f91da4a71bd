package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.ClassPathResource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter tells GraalVM's native image about the resources and reflection it
 * needs at runtime.
 */
class AgentObservabilityRuntimeHintsTests {

	private static final String PRICES = "io/github/agentobservability/ai/model-prices.csv";

	@Test
	void builtInModelPricesAreIncluded() {
		RuntimeHints hints = new RuntimeHints();
		new ModelPricingRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(new ClassPathResource(PRICES).exists()).isTrue();
		assertThat(RuntimeHintsPredicates.resource().forResource(PRICES)).accepts(hints);
	}

	@Test
	void tracedAnnotationAttributesCanBeReadReflectively() {
		RuntimeHints hints = new RuntimeHints();
		new TracedRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Traced.class, "attributes")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Traced.class, "agent")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SpanAttribute.class, "value"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("reactor.core.publisher.Mono")))
			.accepts(hints);
	}

	@Test
	void aheadOfTimeProcessingRegistersTheStartersHintsAndTheTypesTracedBeansInheritFrom() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(AopAutoConfiguration.class, SearchConfiguration.class,
					AgentObservabilityAutoConfiguration.class, AgentObservabilityAiAutoConfiguration.class);
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(getClass())), new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			RuntimeHints hints = generationContext.getRuntimeHints();
			assertThat(RuntimeHintsPredicates.resource().forResource(PRICES)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Traced.class, "value")).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(OpenAiSearch.class)
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(Search.class)
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Retrieval.class, "retrieve"))
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(Untraced.class)
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).rejects(hints);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SearchConfiguration {

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.create();
		}

		@Bean
		OpenAiSearch openAiSearch() {
			return new OpenAiSearch();
		}

		@Bean
		Untraced untraced() {
			return new Untraced();
		}

	}

	interface Retrieval {

		String retrieve(@SpanAttribute("search.query") String query);

	}

	static class Search implements Retrieval {

		@Override
		public String retrieve(String query) {
			return query;
		}

	}

	@Traced("openai")
	static class OpenAiSearch extends Search {

	}

	static class Untraced {

		String work() {
			return "done";
		}

	}

}
