package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.TracingContextRunners;
import java.lang.reflect.Method;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.aop.MethodMatcher;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ReflectionUtils;

import static io.github.agentobservability.tracing.TracingContextRunners.span;
import static io.github.agentobservability.tracing.TracingContextRunners.spans;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code @Traced} and {@code @SpanAttribute} annotations apply to a call: those of
 * the class the call is made on, of the called method and of the methods it overrides,
 * whether the bean is proxied by class or through its interfaces.
 */
class TracedMethodResolutionTests {

	private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");

	private static final AttributeKey<String> QUERY = AttributeKey.stringKey("search.query");

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withUserConfiguration(SearchConfiguration.class);

	@Test
	void typeLevelAnnotationOfASubclassCoversTheMethodsItInherits() {
		this.contextRunner.run((context) -> {
			context.getBean(OpenAiSearch.class).search("q");
			SpanData span = span(context, "openai.search");
			assertThat(span.getAttributes().get(PROVIDER)).isEqualTo("openai");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("code.function.name")))
				.isEqualTo(OpenAiSearch.class.getName() + ".search");
		});
	}

	@Test
	void subclassesInheritingOneMethodKeepTheirOwnNamesAndAttributes() {
		this.contextRunner.run((context) -> {
			context.getBean(OpenAiSearch.class).search("q");
			context.getBean(LocalSearch.class).search("q");
			assertThat(spans(context)).extracting(SpanData::getName).containsExactly("openai.search", "local.search");
			assertThat(span(context, "local.search").getAttributes().get(PROVIDER)).isEqualTo("local");
		});
	}

	@Test
	void spanAttributeOnAnInterfaceParameterIsRecorded() {
		this.contextRunner.run((context) -> {
			context.getBean(Ranker.class).rank("what is tracing?");
			assertThat(span(context, "rank").getAttributes().get(AttributeKey.stringKey("rank.query")))
				.isEqualTo("what is tracing?");
		});
	}

	@Test
	void spanAttributeOnASuperclassParameterIsRecorded() {
		this.contextRunner.run((context) -> {
			context.getBean(CachedSearch.class).search("what is tracing?");
			assertThat(span(context, "cached_search").getAttributes().get(QUERY)).isEqualTo("what is tracing?");
		});
	}

	@Test
	void objectMethodsOfATracedTypeAreNotTraced() {
		this.contextRunner.run((context) -> {
			OpenAiSearch search = context.getBean(OpenAiSearch.class);
			assertThat(search.toString()).isNotEmpty();
			assertThat(search.hashCode()).isEqualTo(search.hashCode());
			assertThat(spans(context)).isEmpty();
		});
	}

	@Test
	void objectMethodsOfATracedTypeAreNotAdvised() {
		MethodMatcher matcher = new TracedAdvisor(() -> {
			throw new AssertionError("no interceptor needed");
		}).getPointcut().getMethodMatcher();
		assertThat(matcher.isRuntime()).isFalse();
		assertThat(matcher.matches(ReflectionUtils.findMethod(OpenAiSearch.class, "search", String.class),
				OpenAiSearch.class))
			.isTrue();
		for (Method method : new Method[] { ReflectionUtils.findMethod(Object.class, "toString"),
				ReflectionUtils.findMethod(Object.class, "hashCode"),
				ReflectionUtils.findMethod(Object.class, "equals", Object.class),
				ReflectionUtils.findMethod(TracedObject.class, "toString") }) {
			assertThat(matcher.matches(method, TracedObject.class)).as(method.toString()).isFalse();
		}
	}

	@Test
	void malformedTypeLevelAttributeOfASubclassFailsStartupNamingTheMethodItInherits() {
		new ApplicationContextRunner().withConfiguration(TracingContextRunners.BOOT_AND_STARTER)
			.withBean(MalformedSearch.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Invalid @Traced attribute 'provider'")
				.hasMessageContaining(MalformedSearch.class.getName() + ".search(String)"));
	}

	@Test
	void interfaceProxiesTraceImplementationsWithTheirOwnNamesAndTheInterfacesParameterAttributes() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withUserConfiguration(InterfaceProxyingConfiguration.class, SummarizerConfiguration.class)
			.run((context) -> {
				Summarizer extractive = context.getBean("extractiveSummarizer", Summarizer.class);
				Summarizer abstractive = context.getBean("abstractiveSummarizer", Summarizer.class);
				assertThat(AopUtils.isJdkDynamicProxy(extractive)).isTrue();
				extractive.summarize("long text");
				abstractive.summarize("other text");
				assertThat(spans(context)).extracting(SpanData::getName)
					.containsExactly("extractive.summarize", "abstractive.summarize");
				assertThat(span(context, "abstractive.summarize").getAttributes()
					.get(AttributeKey.stringKey("summary.text"))).isEqualTo("other text");
			});
	}

	@Test
	void interfaceProxiesTraceAMethodAnnotatedOnTheInterface() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withUserConfiguration(InterfaceProxyingConfiguration.class)
			.run((context) -> {
				Ranker ranker = context.getBean(Ranker.class);
				assertThat(AopUtils.isJdkDynamicProxy(ranker)).isTrue();
				ranker.rank("q");
				assertThat(span(context, "rank").getAttributes().get(AttributeKey.stringKey("rank.query")))
					.isEqualTo("q");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class SearchConfiguration {

		@Bean
		OpenAiSearch openAiSearch() {
			return new OpenAiSearch();
		}

		@Bean
		LocalSearch localSearch() {
			return new LocalSearch();
		}

		@Bean
		CachedSearch cachedSearch() {
			return new CachedSearch();
		}

		@Bean
		Ranker ranker() {
			return new KeywordRanker();
		}

	}

	/**
	 * Proxies through interfaces, as an application gets with
	 * {@code spring.aop.proxy-target-class=false} and AspectJ on the class path; without
	 * AspectJ, Spring Boot then registers no auto-proxy creator.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(InterfaceProxyingConfiguration.AutoProxyCreatorRegistrar.class)
	static class InterfaceProxyingConfiguration {

		static class AutoProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {

			@Override
			public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
				AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SummarizerConfiguration {

		@Bean
		Summarizer extractiveSummarizer() {
			return new ExtractiveSummarizer();
		}

		@Bean
		Summarizer abstractiveSummarizer() {
			return new AbstractiveSummarizer();
		}

	}

	static class Search {

		public String search(@SpanAttribute("search.query") String query) {
			return "found " + query;
		}

	}

	@Traced(value = "openai", attributes = "provider=openai")
	static class OpenAiSearch extends Search {

	}

	@Traced(value = "local", attributes = "provider=local")
	static class LocalSearch extends Search {

	}

	@Traced(attributes = "provider")
	static class MalformedSearch extends Search {

	}

	static class CachedSearch extends Search {

		@Traced("cached_search")
		@Override
		public String search(String query) {
			return "cached " + query;
		}

	}

	interface Ranker {

		@Traced
		String rank(@SpanAttribute("rank.query") String query);

	}

	static class KeywordRanker implements Ranker {

		@Override
		public String rank(String query) {
			return query;
		}

	}

	interface Summarizer {

		String summarize(@SpanAttribute("summary.text") String text);

	}

	@Traced("extractive")
	static class ExtractiveSummarizer implements Summarizer {

		@Override
		public String summarize(String text) {
			return text;
		}

	}

	@Traced("abstractive")
	static class AbstractiveSummarizer implements Summarizer {

		@Override
		public String summarize(String text) {
			return text;
		}

	}

	@Traced
	static class TracedObject {

		@Override
		public String toString() {
			return "traced object";
		}

	}

}
