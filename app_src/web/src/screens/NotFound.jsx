import { ScreenTitle } from "../components/common.jsx";
import { t } from "../strings.js";

export default function NotFound() {
  return (
    <section>
      <ScreenTitle>{t("notFoundTitle")}</ScreenTitle>
      <p>{t("errorNotFound")}</p>
    </section>
  );
}
