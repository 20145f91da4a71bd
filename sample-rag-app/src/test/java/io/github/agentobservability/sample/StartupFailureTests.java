package io.github.agentobservability.sample;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Bad {@code agent.observability.*} values stop the application at startup, and the
 * failure analysis Spring Boot prints names the property and what is allowed.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			agent.observability.exporters.console.format=xml | agent.observability.exporters.console.format | JSON
			agent.observability.exporters.jsonl.max-files=-1 | agent.observability.exporters.jsonl.max-files | At least one file
			agent.observability.exporters.jsonl.max-file-size=-5MB | agent.observability.exporters.jsonl.max-file-size | must be positive
			agent.observability.exporters.jsonl.path=/proc/version/traces.jsonl | agent.observability.exporters.jsonl.path | cannot be written
			agent.observability.content.redaction.patterns[0]=([a-z | agent.observability.content.redaction.patterns[0] | is not a valid regular expression
			agent.observability.content.redaction.patterns[0]=x* | agent.observability.content.redaction.patterns[0] | matches the empty string
			agent.observability.content.max-length=0 | agent.observability.content.max-length | must be positive
			agent.observability.pricing.models.m1.input-per-million=abc | agent.observability.pricing.models.m1.input-per-million | BigDecimal
			agent.observability.pricing.models.m1.input-per-million=1 | agent.observability.pricing.models.m1.output-per-million | output-per-million
			agent.observability.pricing.models.m1.input-per-million=-1 | agent.observability.pricing.models.m1.input-per-million | cannot be negative
			agent.observability.metrics.max-tag-values=0 | agent.observability.metrics.max-tag-values | At least one value
			agent.observability.spans.max-attribute-length=0 | agent.observability.spans.max-attribute-length | must be positive
			agent.observability.exporters.console.metrics-interval=-3s | agent.observability.exporters.console.metrics-interval | must be positive
			agent.observability.exporters.recent-traces.max-traces=0 | agent.observability.exporters.recent-traces.max-traces | At least one trace
			""")
	void aBadValueFailsStartupNamingThePropertyAndWhatIsAllowed(String setting, String property, String allowed,
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleRagApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(List.of("--" + setting, "--spring.ai.model.chat=local"));
		if (!setting.contains("jsonl.path")) {
			args.add("--agent.observability.exporters.jsonl.path=target/startup-failure/agent-traces.jsonl");
		}
		assertThatException().isThrownBy(() -> application.run(args.toArray(String[]::new)));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(property).contains(allowed);
	}

}
