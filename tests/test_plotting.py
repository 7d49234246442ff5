"""Chinese labels render on a machine without system CJK fonts: any missing glyph fails."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from crm_helpers.plotting import FONT_FAMILY, chinese_font_path, set_theme, use_chinese_font  # noqa: E402


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def test_seaborn_plot_with_chinese_labels_has_no_missing_glyph():
    set_theme(style="whitegrid")
    data = pd.DataFrame({"订单状态": ["等待买家付款", "买家已付款", "卖家已发货", "交易成功", "交易关闭"],
                         "订单数": [3, 12, 40, 380, -25]})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        ax = sns.barplot(data=data, x="订单状态", y="订单数", hue="订单状态", legend=True)
        ax.set_title("各状态订单数（负数也要能显示）")
        ax.set_xlabel("订单状态")
        ax.set_ylabel("订单数（笔）")
        png = render(ax.figure)
    assert png.startswith(b"\x89PNG")


def test_plain_matplotlib_with_chinese_and_minus_signs():
    use_chinese_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.plot([-3, -1, 0, 2], [1, -2, 3, -4], label="响应时间（秒）")
        ax.set_title("双11 客服响应速度")
        ax.legend(title="图例")
        render(fig)


def test_set_theme_keeps_the_font_and_merges_rc():
    set_theme(style="ticks", rc={"figure.figsize": (4, 3)})
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (4, 3)
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    sns.set_theme()  # plain seaborn resets the font list ...
    set_theme()  # ... and ours restores it
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY


def test_font_file_is_shipped():
    assert chinese_font_path().endswith("NotoSansSC-Regular.otf")


def test_import_has_no_side_effect():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import crm_helpers.plotting;"
        "import sys; assert 'seaborn' not in sys.modules; assert dict(mpl.rcParams) == before"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
