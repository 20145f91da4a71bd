package io.github.agentobservability.compatibility;

import java.lang.reflect.Proxy;
import java.util.List;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.compatibility.SpanRecording.RecordedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code @Traced} may stand in an application's types, with JDK proxies
 * ({@code spring.aop.proxy-target-class=false}) and with CGLIB (Boot's default): on an
 * interface method with {@code @SpanAttribute} on the interface's parameter, and on a
 * subclass whose type-level annotation covers a method it inherits. {@code Object}
 * methods are never traced.
 */
class TracedResolutionTests {

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void tracedOnAnInterfaceCountsWithItsParameterAttributes(boolean proxyTargetClass) {
		try (ConfigurableApplicationContext context = run(proxyTargetClass)) {
			Lookup lookup = context.getBean(Lookup.class);
			assertThat(Proxy.isProxyClass(lookup.getClass())).isEqualTo(!proxyTargetClass);
			assertThat(lookup.find("ada")).isEqualTo("found ada");
			SpanData span = context.getBean(RecordedSpans.class).named("lookup.find").get(0);
			assertThat(span.getAttributes().get(AttributeKey.stringKey("lookup.key"))).isEqualTo("ada");
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aSubclassTracedAtTypeLevelCoversWhatItInherits(boolean proxyTargetClass) {
		try (ConfigurableApplicationContext context = run(proxyTargetClass)) {
			Repository repository = context.getBean(Repository.class);
			assertThat(repository.load("doc-1")).isEqualTo("doc-1");
			assertThat(repository.toString()).isNotEmpty();
			assertThat(repository.hashCode()).isNotZero();
			List<SpanData> spans = context.getBean(RecordedSpans.class).all();
			assertThat(spans).extracting(SpanData::getName).containsExactly("documents.load");
			assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("component"))).isEqualTo("store");
		}
	}

	private static ConfigurableApplicationContext run(boolean proxyTargetClass) {
		return Apps.run(WebApplicationType.NONE, List.of(App.class),
				"spring.aop.proxy-target-class=" + proxyTargetClass);
	}

	public interface Lookup {

		@Traced("lookup.find")
		String find(@SpanAttribute("lookup.key") String key);

	}

	static class MapLookup implements Lookup {

		@Override
		public String find(String key) {
			return "found " + key;
		}

	}

	public interface Repository {

		String load(String id);

	}

	/**
	 * An unannotated base class, as a library might provide.
	 */
	public static class BaseRepository implements Repository {

		@Override
		public String load(String id) {
			return id;
		}

	}

	@Traced(value = "documents", attributes = "component=store")
	public static class DocumentRepository extends BaseRepository {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SpanRecording.class)
	static class App {

		@Bean
		Lookup lookup() {
			return new MapLookup();
		}

		@Bean
		Repository documentRepository() {
			return new DocumentRepository();
		}

	}

}
