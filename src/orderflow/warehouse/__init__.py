"""The warehouse desk: transfers between the group's companies (调拨, A5), customer-supplied
materials counted and signed in (I3, E12), and stock counts (盘点) with reasons."""
